package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The parameter exchange between threads standing in for a barrier stage's tasks: bytes arrive intact;
 * connections that do not prove the stage's secret (a wrong proof, garbage, silence, a partition out of
 * range, an insider claiming a partition already linked) are refused while the stage's own tasks link and
 * exchange as usual; a message altered on the link stops task 0.
 */
class PeerExchangeTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private int handshakeBefore;

  @BeforeEach
  void shortHandshakes() {
    handshakeBefore = PeerExchange.handshakeMs;
    PeerExchange.handshakeMs = 300;
  }

  @AfterEach
  void restore() {
    PeerExchange.handshakeMs = handshakeBefore;
    threads.shutdownNow();
  }

  /** Tasks as threads: an allGather over a shared table; the gathered messages stay visible to the test. */
  private static final class Stage {
    final int tasks;
    final String[] messages;
    final CyclicBarrier barrier;
    final CountDownLatch firstBound = new CountDownLatch(1);
    /** Per task: released before its allGather returns (the test orders the connections with them). */
    final CountDownLatch[] release;
    /** Per task: what it sees of task 0's address (a proxy in between, in one test). */
    UnaryOperator<String> rewrite = UnaryOperator.identity();

    Stage(int tasks) {
      this.tasks = tasks;
      messages = new String[tasks];
      barrier = new CyclicBarrier(tasks);
      release = new CountDownLatch[tasks];
      for (int p = 0; p < tasks; p++) {
        release[p] = new CountDownLatch(0);
      }
    }

    ExchangeStage task(int partition) {
      return new ExchangeStage() {
        @Override
        public int partition() {
          return partition;
        }

        @Override
        public int tasks() {
          return tasks;
        }

        @Override
        public String firstHost() {
          return "127.0.0.1";
        }

        @Override
        public String[] allGather(String message) {
          messages[partition] = message;
          if (partition == 0) {
            firstBound.countDown();
          }
          try {
            barrier.await(20, TimeUnit.SECONDS);
            release[partition].await(20, TimeUnit.SECONDS);
          } catch (InterruptedException | BrokenBarrierException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
          }
          String[] out = messages.clone();
          out[0] = partition == 0 ? out[0] : rewrite.apply(out[0]);
          return out;
        }

        @Override
        public void stopIfKilled() {}
      };
    }

    /** Task 0's "host:port", once it has bound. */
    String firstAddress() throws InterruptedException {
      assertTrue(firstBound.await(20, TimeUnit.SECONDS));
      return messages[0].substring(0, messages[0].indexOf(' '));
    }

    ExchangeKey key() {
      String[] contributions = new String[tasks];
      for (int p = 0; p < tasks; p++) {
        contributions[p] = messages[p].substring(messages[p].indexOf(' ') + 1);
      }
      return ExchangeKey.of(contributions);
    }
  }

  private static Socket connect(String address) throws Exception {
    int colon = address.lastIndexOf(':');
    return new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
  }

  /** Opens every task's side of the exchange on its own thread. */
  private List<Future<PeerExchange>> open(Stage stage) {
    List<Future<PeerExchange>> out = new ArrayList<>();
    for (int p = 0; p < stage.tasks; p++) {
      ExchangeStage task = stage.task(p);
      out.add(threads.submit(() -> PeerExchange.open(task, 0, true)));
    }
    return out;
  }

  /** Tasks 1.. send their bytes, task 0 gathers them and sends the first back to all: everything arrives. */
  private void assertExchanges(List<Future<PeerExchange>> opened) throws Exception {
    List<PeerExchange> peers = new ArrayList<>();
    for (Future<PeerExchange> f : opened) {
      peers.add(f.get(20, TimeUnit.SECONDS));
    }
    for (int round = 0; round < 3; round++) {
      List<Future<byte[]>> replies = new ArrayList<>();
      for (int p = 1; p < peers.size(); p++) {
        PeerExchange peer = peers.get(p);
        byte[] mine = bytes(p, round);
        replies.add(threads.submit(() -> {
          peer.sendToFirst(mine);
          return peer.receiveFromFirst(null);
        }));
      }
      List<byte[]> got = peers.get(0).gather(List.of());
      for (int p = 1; p < peers.size(); p++) {
        assertArrayEquals(bytes(p, round), got.get(p - 1), "task " + p + "'s bytes in round " + round);
      }
      peers.get(0).sendToAll(bytes(0, round));
      for (Future<byte[]> reply : replies) {
        assertArrayEquals(bytes(0, round), reply.get(20, TimeUnit.SECONDS));
      }
    }
    peers.forEach(PeerExchange::close);
  }

  private static byte[] bytes(int partition, int round) {
    byte[] out = new byte[1000 + 7 * partition + round];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (i * 31 + partition * 7 + round);
    }
    return out;
  }

  @Test
  void tasksExchangeTheirBytes() throws Exception {
    assertExchanges(open(new Stage(3)));
  }

  @Test
  void connectionsWithoutTheSecretAreRefusedAndTheStageGoesOn() throws Exception {
    Stage stage = new Stage(3);
    stage.release[1] = new CountDownLatch(1);
    stage.release[2] = new CountDownLatch(1);
    int refusedBefore = PeerExchange.REFUSED.get();
    List<Future<PeerExchange>> opened = open(stage);
    String address = stage.firstAddress();
    // Queued before any task of the stage connects: task 0 takes them first.
    List<Future<?>> rogues = new ArrayList<>();
    rogues.add(threads.submit(() -> wrongProof(address)));
    rogues.add(threads.submit(() -> garbage(address)));
    rogues.add(threads.submit(() -> silence(address)));
    waitUntil(() -> PeerExchange.REFUSED.get() - refusedBefore >= 3, "three rogue connections refused");
    // An insider (it holds the key) claiming a partition out of range, then task 1, then the insider as task 1.
    ExchangeKey key = stage.key();
    rogues.add(threads.submit(() -> insider(address, key, 3)));
    waitUntil(() -> PeerExchange.REFUSED.get() - refusedBefore >= 4, "the out-of-range claim refused");
    stage.release[1].countDown();
    opened.get(1).get(20, TimeUnit.SECONDS);
    rogues.add(threads.submit(() -> insider(address, key, 1)));
    waitUntil(() -> PeerExchange.REFUSED.get() - refusedBefore >= 5, "the duplicate claim refused");
    stage.release[2].countDown();
    assertExchanges(opened);
    for (Future<?> rogue : rogues) {
      rogue.get(20, TimeUnit.SECONDS);
    }
    assertEquals(5, PeerExchange.REFUSED.get() - refusedBefore);
  }

  @Test
  void aMessageAlteredOnTheLinkStopsTaskZero() throws Exception {
    Stage stage = new Stage(2);
    ServerSocket proxy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
    stage.rewrite = first -> "127.0.0.1:" + proxy.getLocalPort() + first.substring(first.indexOf(' '));
    List<Future<PeerExchange>> opened = open(stage);
    String address = stage.firstAddress();
    threads.submit(() -> {
      try (Socket fromPeer = proxy.accept(); Socket toFirst = connect(address)) {
        threads.submit(() -> pump(toFirst.getInputStream(), fromPeer.getOutputStream(), -1));
        // The peer's proof (4 + 32 bytes), the length (4), then its bytes: the 11th is flipped.
        pump(fromPeer.getInputStream(), toFirst.getOutputStream(), 4 + 32 + 4 + 10);
      }
      return null;
    });
    PeerExchange first = opened.get(0).get(20, TimeUnit.SECONDS);
    PeerExchange peer = opened.get(1).get(20, TimeUnit.SECONDS);
    peer.sendToFirst(bytes(1, 0));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.gather(List.of()));
    assertTrue(e.getMessage().contains("integrity"), e.getMessage());
    first.close();
    peer.close();
    proxy.close();
  }

  /** Copies in to out, flipping the byte at {@code flip} (-1: none), until either side closes. */
  private static Void pump(InputStream in, OutputStream out, long flip) {
    try {
      long at = 0;
      int b;
      while ((b = in.read()) >= 0) {
        out.write(at++ == flip ? b ^ 0x40 : b);
        if (in.available() == 0) {
          out.flush();
        }
      }
    } catch (java.io.IOException closed) {
      // one side closed: the copy ends
    }
    return null;
  }

  private static Void wrongProof(String address) throws Exception {
    try (Socket s = connect(address)) {
      new DataInputStream(s.getInputStream()).readFully(new byte[ExchangeKey.NONCE_BYTES]);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(1);
      out.write(ExchangeKey.random(ExchangeKey.TAG_BYTES));
      out.flush();
      s.getInputStream().read(); // until task 0 closes it
    }
    return null;
  }

  private static Void garbage(String address) throws Exception {
    try (Socket s = connect(address)) {
      s.getOutputStream().write(ExchangeKey.random(300));
      s.getOutputStream().flush();
      drain(s);
    }
    return null;
  }

  private static Void silence(String address) throws Exception {
    try (Socket s = connect(address)) {
      drain(s);
    }
    return null;
  }

  private static Void insider(String address, ExchangeKey key, int partition) throws Exception {
    try (Socket s = connect(address)) {
      byte[] nonce = new byte[ExchangeKey.NONCE_BYTES];
      new DataInputStream(s.getInputStream()).readFully(nonce);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(partition);
      out.write(key.proof(nonce, partition));
      out.flush();
      s.getInputStream().read();
    }
    return null;
  }

  private static void drain(Socket s) throws java.io.IOException {
    while (s.getInputStream().read() >= 0) {
      // the nonce, then task 0 closes the connection
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(10);
    }
  }
}
