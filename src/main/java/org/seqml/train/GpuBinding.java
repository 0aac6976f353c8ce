package org.seqml.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins ND4J to the GPU Spark assigned to the running task. Spark gives a task the addresses its
 * discovery script reported (physical ids, or UUIDs); ND4J numbers the devices the process can see,
 * so an address maps to its position in CUDA_VISIBLE_DEVICES when that is set, else to itself.
 * Without a task, without a GPU resource (CPU executors, local mode) or on the CPU backend it does
 * nothing.
 */
public final class GpuBinding {
  private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);

  private GpuBinding() {}

  /** ND4J's device index for the first GPU address Spark assigned. */
  public static OptionalInt deviceIndex(List<String> assigned, String cudaVisibleDevices) {
    if (assigned == null || assigned.isEmpty()) {
      return OptionalInt.empty();
    }
    String address = assigned.get(0).trim();
    if (cudaVisibleDevices == null || cudaVisibleDevices.isBlank()) {
      try {
        return OptionalInt.of(Integer.parseInt(address));
      } catch (NumberFormatException e) {
        throw new IllegalStateException("GPU address '" + address + "' is not a device number and "
            + "CUDA_VISIBLE_DEVICES is not set to map it: have the discovery script report indices");
      }
    }
    List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::trim).toList();
    int index = visible.indexOf(address);
    if (index < 0) {
      throw new IllegalStateException("Spark assigned GPU " + address + " but this executor sees only "
          + "CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices + ": the discovery script and the visible devices disagree");
    }
    return OptionalInt.of(index);
  }

  /** Binds the current thread's ND4J device to the task's GPU; returns the device used, if any. */
  public static OptionalInt bindCurrentTask() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return OptionalInt.empty();
    }
    Map<String, ResourceInformation> resources = task.resourcesJMap();
    ResourceInformation gpu = resources == null ? null : resources.get("gpu");
    if (gpu == null) {
      return OptionalInt.empty();
    }
    OptionalInt device = deviceIndex(List.of(gpu.addresses()), System.getenv("CUDA_VISIBLE_DEVICES"));
    if (device.isPresent() && !Nd4j.getEnvironment().isCPU()) {
      Nd4j.getAffinityManager().unsafeSetDevice(device.getAsInt());
      LOG.debug("task {} bound to GPU {} (address {})", task.taskAttemptId(), device.getAsInt(), gpu.addresses()[0]);
    }
    return device;
  }
}
