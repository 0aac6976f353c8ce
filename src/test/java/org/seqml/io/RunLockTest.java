package org.seqml.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SeqmlProcess;

/**
 * One run per pipeline and ds: a second run is refused with the holder named (in the same JVM, and a
 * seqml command in a JVM of its own, which exits 1 with one line and no stack trace); a lock whose holder
 * died is taken over (its process gone from this host, or its heartbeat expired); closing releases it.
 */
class RunLockTest {
  private static final Duration EXPIRY = Duration.ofSeconds(120);
  private static final String DS = "2024-03-04";

  @TempDir Path dir;

  private Layout layout() {
    return Layout.of(dir.toString(), "ticks");
  }

  private void writeHolder(String host, long pid, Instant heartbeat) throws Exception {
    ObjectNode holder = Json.object();
    holder.put("run_id", "other-run");
    holder.put("host", host);
    holder.put("pid", pid);
    holder.put("started", heartbeat.toString());
    holder.put("heartbeat", heartbeat.toString());
    Path path = Path.of(RunLock.pathOf(layout(), DS));
    Files.createDirectories(path.getParent());
    Files.write(path, Json.bytes(holder));
  }

  private static String thisHost() throws Exception {
    return InetAddress.getLocalHost().getHostName();
  }

  @Test
  void aSecondRunIsRefusedUntilTheFirstCloses() {
    try (RunLock first = RunLock.acquire(layout(), DS, "run-1", EXPIRY, new Configuration())) {
      RunLock.Held held = assertThrows(RunLock.Held.class,
          () -> RunLock.acquire(layout(), DS, "run-2", EXPIRY, new Configuration()));
      assertTrue(held.getMessage().contains("run run-1 on ") && held.getMessage().contains(RunLock.pathOf(layout(), DS)),
          held.getMessage());
      // another ds of the same pipeline is free
      RunLock.acquire(layout(), "2024-03-05", "run-3", EXPIRY, new Configuration()).close();
    }
    RunLock.acquire(layout(), DS, "run-2", EXPIRY, new Configuration()).close();
    assertFalse(Files.exists(Path.of(RunLock.pathOf(layout(), DS))), "closing leaves the lock behind");
  }

  @Test
  void aLockWhoseProcessIsGoneIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    writeHolder(thisHost(), gone.pid(), Instant.now());
    RunLock.acquire(layout(), DS, "run-2", EXPIRY, new Configuration()).close();
  }

  @Test
  void aLockOfAnotherHostIsTakenOverOnlyOnceItsHeartbeatExpired() throws Exception {
    writeHolder("some-other-host", 1, Instant.now().minusSeconds(30));
    assertThrows(RunLock.Held.class, () -> RunLock.acquire(layout(), DS, "run-2", EXPIRY, new Configuration()));
    writeHolder("some-other-host", 1, Instant.now().minusSeconds(600));
    RunLock.acquire(layout(), DS, "run-2", EXPIRY, new Configuration()).close();
  }

  @Test
  void aSeqmlCommandOnAHeldDsExitsOneWithOneLine() throws Exception {
    Path log = dir.resolve("ingest.log");
    try (RunLock held = RunLock.acquire(layout(), DS, "the-holder", EXPIRY, new Configuration())) {
      Process p = SeqmlProcess.start(log, List.of("ingest", "--pipeline", "ticks", "--env", "ci", "--ds", DS,
          "--conf", "output.dir=" + dir));
      assertTrue(p.waitFor(180, TimeUnit.SECONDS), SeqmlProcess.tail(log));
      assertEquals(1, p.exitValue(), SeqmlProcess.tail(log));
    }
    String out = Files.readString(log);
    assertTrue(out.contains("seqml: another run holds") && out.contains("run the-holder"), SeqmlProcess.tail(log));
    assertFalse(out.contains("\tat org.seqml"), "a refusal printed a stack trace:\n" + SeqmlProcess.tail(log));
    assertFalse(Files.exists(Path.of(layout().table(Layout.TICKS))), "the refused run wrote ticks");
  }
}
