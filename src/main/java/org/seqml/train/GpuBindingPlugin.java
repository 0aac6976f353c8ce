package org.seqml.train;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Spark plugin (spark.plugins=org.seqml.train.GpuBindingPlugin) that binds every task thread to its
 * assigned GPU before the task runs, so DL4J's own training tasks land on the right device too.
 */
public final class GpuBindingPlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void onTaskStart() {
        GpuBinding.bindCurrentTask();
      }
    };
  }
}
