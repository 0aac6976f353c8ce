package org.seqml.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per pipeline and ds: a lock file in the output folder
 * ({@code <output.dir>/<pipeline>/_locks/ds=<ds>.json}: run id, host, process id, start and a heartbeat the
 * holder renews every {@link #HEARTBEAT}), created only if absent. A second run (an Airflow retry beside a
 * manual run, two notebooks) is refused with the holder named. A lock whose holder died is taken over: at
 * once when the holder's process is gone from this host, else when its heartbeat is older than
 * {@code expiry}. On HDFS and local disks the create is atomic; object stores (s3a) only approximate it.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  static final Duration HEARTBEAT = Duration.ofSeconds(20);
  private final FileSystem fs;
  private final Path path;
  private final ObjectNode holder;
  private final ScheduledExecutorService heartbeat;
  private final Thread onExit;

  /** Another run holds the lock; the message names it. */
  public static final class Held extends org.seqml.util.Refusal {
    Held(String message) {
      super(message);
    }
  }

  private RunLock(FileSystem fs, Path path, ObjectNode holder) {
    this.fs = fs;
    this.path = path;
    this.holder = holder;
    heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "seqml-run-lock");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleAtFixedRate(this::renew, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    onExit = new Thread(this::release, "seqml-run-lock-release");
    Runtime.getRuntime().addShutdownHook(onExit); // SIGTERM (Airflow's kill) runs hooks, not finally blocks
  }

  /** The lock's file for a pipeline's ds. */
  public static String pathOf(Layout layout, String ds) {
    return layout.root() + "/_locks/ds=" + ds + ".json";
  }

  /** Takes the lock of {@code layout}'s pipeline and {@code ds} for {@code runId}, or throws {@link Held}. */
  public static RunLock acquire(Layout layout, String ds, String runId, Duration expiry, Configuration hadoop) {
    Path path = new Path(pathOf(layout, ds));
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      fs.mkdirs(path.getParent());
      ObjectNode me = Json.object();
      me.put("run_id", runId);
      me.put("host", host());
      me.put("pid", ProcessHandle.current().pid());
      me.put("started", Instant.now().toString());
      for (int attempt = 0; attempt < 2; attempt++) {
        me.put("heartbeat", Instant.now().toString());
        if (create(fs, path, me)) {
          return new RunLock(fs, path, me);
        }
        JsonNode other = readOrNull(fs, path);
        String stale = other == null ? "unreadable" : staleness(other, expiry);
        if (stale == null) {
          throw new Held("another run holds " + layout.root() + " ds=" + ds + ": run " + other.path("run_id").asText()
              + " on " + other.path("host").asText() + " (process " + other.path("pid").asLong() + ") since "
              + other.path("started").asText() + ", last heartbeat " + other.path("heartbeat").asText()
              + "; wait for it to finish, or delete " + path + " if that run is gone");
        }
        LOG.warn("taking over the run lock {} ({}): {}", path, stale, other);
        fs.delete(path, false);
      }
      throw new Held("could not take the run lock " + path + ": another run took it over at the same moment");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the run lock " + path, e);
    }
  }

  /** Why a holder counts as gone, or null while it may still be running. */
  static String staleness(JsonNode holder, Duration expiry) {
    if (holder.path("host").asText().equals(host())
        && ProcessHandle.of(holder.path("pid").asLong()).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + holder.path("pid").asLong() + " is gone from this host";
    }
    Instant beat = Instant.parse(holder.path("heartbeat").asText(Instant.EPOCH.toString()));
    if (beat.plus(expiry).isBefore(Instant.now())) {
      return "its last heartbeat " + beat + " is older than " + expiry.toSeconds() + " s";
    }
    return null;
  }

  private static boolean create(FileSystem fs, Path path, JsonNode content) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(Json.bytes(content));
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(path)) { // some file systems say "exists" only in the message
        return false;
      }
      throw e;
    }
  }

  private static JsonNode readOrNull(FileSystem fs, Path path) {
    try (java.io.InputStream in = fs.open(path)) {
      return Json.MAPPER.readTree(in);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private synchronized void renew() {
    try {
      JsonNode now = readOrNull(fs, path);
      if (now == null || !holder.path("run_id").asText().equals(now.path("run_id").asText())) {
        LOG.error("the run lock {} is no longer this run's ({}): another run may be writing the same ds", path, now);
        heartbeat.shutdown();
        return;
      }
      holder.put("heartbeat", Instant.now().toString());
      try (OutputStream out = fs.create(path, true)) {
        out.write(Json.bytes(holder));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not renew the run lock {}: {}", path, e.toString());
    }
  }

  private synchronized void release() {
    heartbeat.shutdownNow();
    try {
      JsonNode now = readOrNull(fs, path);
      if (now != null && holder.path("run_id").asText().equals(now.path("run_id").asText())) {
        fs.delete(path, false);
      }
    } catch (IOException e) {
      LOG.warn("could not remove the run lock {}: {}", path, e.toString());
    }
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
