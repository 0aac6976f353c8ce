package org.seqml.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.seqml.io.Json;

/**
 * Spark's own account of who did the work while it listens: successful tasks and task time per
 * executor id. Recorded with a model, it shows that training really ran on every executor.
 */
public final class ExecutorUsage extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final Map<String, long[]> byExecutor = new TreeMap<>(); // id -> {tasks, task millis}

  private ExecutorUsage(SparkContext sc) {
    this.sc = sc;
  }

  public static ExecutorUsage listen(SparkContext sc) {
    ExecutorUsage usage = new ExecutorUsage(sc);
    sc.addSparkListener(usage);
    return usage;
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskInfo() != null && end.taskInfo().successful()) {
      long[] n = byExecutor.computeIfAbsent(end.taskInfo().executorId(), k -> new long[2]);
      n[0]++;
      n[1] += end.taskInfo().duration();
    }
  }

  public synchronized ObjectNode toJson() {
    ObjectNode node = Json.object();
    byExecutor.forEach((id, n) -> {
      ObjectNode e = node.putObject(id);
      e.put("tasks", n[0]);
      e.put("task_seconds", n[1] / 1000.0);
    });
    return node;
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
