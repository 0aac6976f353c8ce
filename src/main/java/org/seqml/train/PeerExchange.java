package org.seqml.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import org.apache.spark.BarrierTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes between the tasks of a barrier stage over TCP, in a star around task 0: the others send their
 * bytes to task 0, task 0 sends one reply to all. Through Spark's coordinator (strings in RPC messages
 * relayed by the driver) a 2.4 MB state took 240-420 ms a round between two executor JVMs; this is what
 * barrier mode's task addresses are for. Task 0 listens on train.exchange-port (0 = any free port) of its
 * executor's host; the others learn it with one allGather, which also shares the stage's secret
 * ({@link ExchangeKey}). A connection that does not prove the secret, claims a partition out of range or
 * one already linked, or says nothing within {@link #handshakeMs}, is refused and logged, and task 0 goes
 * on waiting for its peers; a message whose tag does not match stops the task (the link was tampered
 * with). Reads wait in one-second slices so that a killed task stops.
 */
final class PeerExchange implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerExchange.class);
  private static final int BUFFER = 1 << 20;
  /** Bytes hashed and sent at a time. */
  private static final int SLICE = 1 << 16;
  /** Peers are already running (barrier tasks start together): a minute covers a busy executor. */
  private static final int CONNECT_TIMEOUT_MS = 60_000;
  /** How long task 0 waits for a connection's handshake before refusing it (tests shorten it). */
  static int handshakeMs = 5_000;
  /** Connections refused in this JVM (the tests look). */
  static final AtomicInteger REFUSED = new AtomicInteger();
  private final ExchangeStage stage;
  private final ServerSocket server;
  private final List<Link> links;
  private final boolean tagged;

  /** One TCP link between task 0 and task {@code partition}, with its message counters. */
  private static final class Link {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    final int partition;
    final Mac mac;
    long sent;
    long received;

    Link(Socket socket, int partition, Mac mac) throws IOException {
      this.socket = socket;
      this.partition = partition;
      this.mac = mac;
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(1000);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
      out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
    }
  }

  /** A connection task 0 does not link, and why. */
  private static final class Refused extends Exception {
    Refused(String why) {
      super(why, null, false, false);
    }
  }

  private PeerExchange(ExchangeStage stage, ServerSocket server, List<Link> links, boolean tagged) {
    this.stage = stage;
    this.server = server;
    this.links = links;
    this.tagged = tagged;
  }

  /** Connects the stage's tasks: task 0 accepts one proven link per other task. */
  static PeerExchange open(BarrierTaskContext task, int port) {
    return open(ExchangeStage.of(task), port, true);
  }

  /**
   * Connects the stage's tasks; {@code tagged} = false leaves the messages' tags out (the bench's
   * before-and-after of their cost; peers still prove the secret on connecting).
   */
  static PeerExchange open(ExchangeStage stage, int port, boolean tagged) {
    try {
      String contribution = ExchangeKey.contribution();
      if (stage.partition() == 0) {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(stage.firstHost()), port), stage.tasks());
        server.setSoTimeout(1000);
        String[] all = stage.allGather(stage.firstHost() + ":" + server.getLocalPort() + " " + contribution);
        ExchangeKey key = ExchangeKey.of(contributions(all));
        return new PeerExchange(stage, server, acceptPeers(stage, server, key), tagged);
      }
      String[] all = stage.allGather(" " + contribution);
      ExchangeKey key = ExchangeKey.of(contributions(all));
      String address = all[0].substring(0, all[0].indexOf(' '));
      int colon = address.lastIndexOf(':');
      Socket s = new Socket();
      s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          CONNECT_TIMEOUT_MS);
      Link link = new Link(s, stage.partition(), key.mac());
      byte[] nonce = new byte[ExchangeKey.NONCE_BYTES];
      readFully(stage, link, nonce);
      link.out.writeInt(stage.partition());
      link.out.write(key.proof(nonce, stage.partition()));
      link.out.flush();
      return new PeerExchange(stage, null, List.of(link), tagged);
    } catch (IOException e) {
      throw new UncheckedIOException("barrier task " + stage.partition() + " could not open the parameter exchange "
          + "with task 0 (train.exchange-port " + port + "; executors must reach each other on it)", e);
    }
  }

  private static String[] contributions(String[] gathered) {
    String[] out = new String[gathered.length];
    for (int i = 0; i < gathered.length; i++) {
      out[i] = gathered[i].substring(gathered[i].indexOf(' ') + 1);
    }
    return out;
  }

  /** Task 0: links to tasks 1..n-1 in partition order, refusing every connection that does not prove itself. */
  private static List<Link> acceptPeers(ExchangeStage stage, ServerSocket server, ExchangeKey key)
      throws IOException {
    Link[] byPartition = new Link[stage.tasks()];
    int linked = 0;
    while (linked < stage.tasks() - 1) {
      Socket s = accept(stage, server);
      try {
        int partition = handshake(stage, s, key, byPartition);
        byPartition[partition] = new Link(s, partition, key.mac());
        linked++;
      } catch (Refused r) {
        REFUSED.incrementAndGet();
        LOG.warn("parameter exchange: refused a connection from {}: {}", s.getRemoteSocketAddress(), r.getMessage());
        close(s);
      }
    }
    List<Link> links = new ArrayList<>();
    for (int p = 1; p < stage.tasks(); p++) {
      links.add(byPartition[p]);
    }
    return links;
  }

  /** The partition a connection proves it is, or why it is refused. */
  private static int handshake(ExchangeStage stage, Socket s, ExchangeKey key, Link[] linked) throws Refused {
    try {
      s.setSoTimeout(handshakeMs);
      byte[] nonce = ExchangeKey.random(ExchangeKey.NONCE_BYTES);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.write(nonce);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int partition = in.readInt();
      byte[] proof = new byte[ExchangeKey.TAG_BYTES];
      in.readFully(proof);
      if (!ExchangeKey.same(proof, key.proof(nonce, partition))) {
        throw new Refused("it did not prove the stage's secret");
      }
      if (partition < 1 || partition >= stage.tasks()) {
        throw new Refused("it claimed partition " + partition + " of a stage of " + stage.tasks() + " tasks");
      }
      if (linked[partition] != null) {
        throw new Refused("it claimed partition " + partition + ", which is already linked");
      }
      return partition;
    } catch (SocketTimeoutException e) {
      throw new Refused("it sent no handshake within " + handshakeMs + " ms");
    } catch (EOFException e) {
      throw new Refused("it closed the connection during the handshake");
    } catch (IOException e) {
      throw new Refused("the handshake failed: " + e.getMessage());
    }
  }

  /** Host part of a task address ("host:port"; IPv6 hosts keep their colons). */
  static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * Task 0: every other task's bytes, in partition order (1, 2, ...), each read into the array at its
   * place in {@code reuse} when that has its size (a new one otherwise; {@code reuse} may be shorter).
   */
  List<byte[]> gather(List<byte[]> reuse) {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      all.add(read(links.get(i), true, i < reuse.size() ? reuse.get(i) : null));
    }
    return all;
  }

  /** Task 0: the same bytes to every other task. */
  void sendToAll(byte[] bytes) {
    links.forEach(link -> write(link, false, bytes));
  }

  /** Other tasks: bytes to task 0. */
  void sendToFirst(byte[] bytes) {
    write(links.get(0), true, bytes);
  }

  /** Other tasks: task 0's reply, read into {@code reuse} when it has its size (a new array otherwise). */
  byte[] receiveFromFirst(byte[] reuse) {
    return read(links.get(0), false, reuse);
  }

  private void write(Link link, boolean toFirst, byte[] bytes) {
    try {
      link.out.writeInt(bytes.length);
      if (tagged) {
        ExchangeKey.startTag(link.mac, toFirst, link.partition, link.sent, bytes.length);
      }
      // In slices, each hashed just before it is sent: the receiver hashes one slice while this side hashes
      // the next, so the two ends' hashing overlaps instead of adding up.
      for (int at = 0; at < bytes.length; at += SLICE) {
        int n = Math.min(SLICE, bytes.length - at);
        if (tagged) {
          link.mac.update(bytes, at, n);
        }
        link.out.write(bytes, at, n);
        link.out.flush();
      }
      if (tagged) {
        link.out.write(link.mac.doFinal());
      }
      link.sent++;
      link.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("parameter exchange: sending failed", e);
    }
  }

  private byte[] read(Link link, boolean toFirst, byte[] reuse) {
    byte[] four = new byte[4];
    readFully(stage, link, four, 0, 4);
    int length = ((four[0] & 0xff) << 24) | ((four[1] & 0xff) << 16) | ((four[2] & 0xff) << 8) | (four[3] & 0xff);
    byte[] bytes = AveragedState.sized(reuse, length);
    if (tagged) {
      ExchangeKey.startTag(link.mac, toFirst, link.partition, link.received, length);
    }
    for (int at = 0; at < length; at += SLICE) {
      int n = Math.min(SLICE, length - at);
      readFully(stage, link, bytes, at, n);
      if (tagged) {
        link.mac.update(bytes, at, n);
      }
    }
    if (tagged) {
      byte[] expected = link.mac.doFinal();
      byte[] tag = new byte[ExchangeKey.TAG_BYTES];
      readFully(stage, link, tag, 0, tag.length);
      if (!ExchangeKey.same(tag, expected)) {
        throw new IllegalStateException("parameter exchange: message " + link.received + " between task 0 and task "
            + link.partition + " failed its integrity check (altered in transit); stopping this stage");
      }
    }
    link.received++;
    return bytes;
  }

  private static void readFully(ExchangeStage stage, Link link, byte[] into) {
    readFully(stage, link, into, 0, into.length);
  }

  private static void readFully(ExchangeStage stage, Link link, byte[] into, int from, int length) {
    int done = 0;
    while (done < length) {
      try {
        int n = link.in.read(into, from + done, length - done);
        if (n < 0) {
          throw new UncheckedIOException(new IOException("parameter exchange: a peer closed its link"));
        }
        done += n;
      } catch (SocketTimeoutException slice) {
        stage.stopIfKilled();
      } catch (IOException e) {
        throw new UncheckedIOException("parameter exchange: receiving failed", e);
      }
    }
  }

  private static Socket accept(ExchangeStage stage, ServerSocket server) throws IOException {
    while (true) {
      try {
        return server.accept();
      } catch (SocketTimeoutException slice) {
        stage.stopIfKilled();
      }
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // refused or closing: nothing left to say to it
    }
  }

  @Override
  public void close() {
    links.forEach(link -> close(link.socket));
    if (server != null) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
