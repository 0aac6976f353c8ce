package org.seqml.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * Bytes between the tasks of a barrier stage over plain TCP, in a star around task 0: the others
 * send their bytes to task 0, task 0 sends one reply to all. Through Spark's coordinator (strings
 * in RPC messages relayed by the driver) a 2.4 MB state took 240-420 ms a round between two
 * executor JVMs; this is what barrier mode's task addresses are for. Task 0 listens on
 * train.exchange-port (0 = any free port) of its executor's host; the others learn it with one
 * allGather. Reads wait in one-second slices so that a killed task stops.
 */
final class PeerExchange implements AutoCloseable {
  private static final int BUFFER = 1 << 20;
  /** Peers are already running (barrier tasks start together): a minute covers a busy executor. */
  private static final int CONNECT_TIMEOUT_MS = 60_000;
  private final BarrierTaskContext task;
  private final ServerSocket server;
  private final List<Link> links;

  private record Link(Socket socket, DataInputStream in, DataOutputStream out) {
    static Link of(Socket socket) throws IOException {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(1000);
      return new Link(socket, new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER)),
          new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER)));
    }
  }

  private PeerExchange(BarrierTaskContext task, ServerSocket server, List<Link> links) {
    this.task = task;
    this.server = server;
    this.links = links;
  }

  /** Connects the stage's tasks: task 0 accepts one link per other task, in partition order. */
  static PeerExchange open(BarrierTaskContext task, BarrierExchange rpc, int port) {
    try {
      int tasks = task.getTaskInfos().length;
      if (task.partitionId() == 0) {
        String host = hostOf(task.getTaskInfos()[0].address());
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), tasks);
        server.setSoTimeout(1000);
        rpc.allGather(host + ":" + server.getLocalPort());
        Link[] byPartition = new Link[tasks];
        for (int accepted = 1; accepted < tasks; accepted++) {
          Socket s = accept(task, server);
          Link link = Link.of(s);
          byPartition[readInt(task, link)] = link;
        }
        List<Link> links = new ArrayList<>();
        for (int p = 1; p < tasks; p++) {
          links.add(byPartition[p]);
        }
        return new PeerExchange(task, server, links);
      }
      String address = rpc.allGather("")[0];
      int colon = address.lastIndexOf(':');
      Socket s = new Socket();
      s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          CONNECT_TIMEOUT_MS);
      Link link = Link.of(s);
      link.out().writeInt(task.partitionId());
      link.out().flush();
      return new PeerExchange(task, null, List.of(link));
    } catch (IOException e) {
      throw new UncheckedIOException("barrier task " + task.partitionId() + " could not open the parameter exchange "
          + "with task 0 (train.exchange-port " + port + "; executors must reach each other on it)", e);
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
      all.add(read(links.get(i), i < reuse.size() ? reuse.get(i) : null));
    }
    return all;
  }

  /** Task 0: the same bytes to every other task. */
  void sendToAll(byte[] bytes) {
    links.forEach(link -> write(link, bytes));
  }

  /** Other tasks: bytes to task 0. */
  void sendToFirst(byte[] bytes) {
    write(links.get(0), bytes);
  }

  /** Other tasks: task 0's reply, read into {@code reuse} when it has its size (a new array otherwise). */
  byte[] receiveFromFirst(byte[] reuse) {
    return read(links.get(0), reuse);
  }

  private void write(Link link, byte[] bytes) {
    try {
      link.out().writeInt(bytes.length);
      link.out().write(bytes);
      link.out().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("parameter exchange: sending failed", e);
    }
  }

  private byte[] read(Link link, byte[] reuse) {
    byte[] bytes = AveragedState.sized(reuse, readInt(task, link));
    readFully(task, link, bytes);
    return bytes;
  }

  private static int readInt(BarrierTaskContext task, Link link) {
    byte[] four = new byte[4];
    readFully(task, link, four);
    return ((four[0] & 0xff) << 24) | ((four[1] & 0xff) << 16) | ((four[2] & 0xff) << 8) | (four[3] & 0xff);
  }

  private static void readFully(BarrierTaskContext task, Link link, byte[] into) {
    int done = 0;
    while (done < into.length) {
      try {
        int n = link.in().read(into, done, into.length - done);
        if (n < 0) {
          throw new UncheckedIOException(new IOException("parameter exchange: a peer closed its link"));
        }
        done += n;
      } catch (SocketTimeoutException slice) {
        stopIfKilled(task);
      } catch (IOException e) {
        throw new UncheckedIOException("parameter exchange: receiving failed", e);
      }
    }
  }

  private static Socket accept(BarrierTaskContext task, ServerSocket server) throws IOException {
    while (true) {
      try {
        return server.accept();
      } catch (SocketTimeoutException slice) {
        stopIfKilled(task);
      }
    }
  }

  /** Spark kills a failed barrier stage's other tasks without interrupting them: look. */
  private static void stopIfKilled(BarrierTaskContext task) {
    task.killTaskIfInterrupted();
  }

  @Override
  public void close() {
    for (Link link : links) {
      try {
        link.socket().close();
      } catch (IOException ignored) {
        // closing: nothing left to send or receive
      }
    }
    if (server != null) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
