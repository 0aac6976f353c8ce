package org.seqml.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Network bytes and inference in one place: how every stage restores and runs a seqml network. */
public final class Networks {
  private Networks() {}

  public static byte[] bytes(ComputationGraph net, boolean withUpdater) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(net, out, withUpdater);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The entries DL4J writes for a network. DL4J's restore also reads a {@code preprocessor.bin} entry with
   * Java object deserialization when one is there (a crafted model zip could run code on every executor
   * that scores with it): a zip holding anything else is refused before DL4J opens it.
   */
  static final java.util.Set<String> ENTRIES =
      java.util.Set.of("configuration.json", "coefficients.bin", "noParams.marker", "updaterState.bin");

  public static ComputationGraph restore(byte[] zip, boolean withUpdater) {
    requireOnlyNetworkEntries(zip);
    try {
      return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), withUpdater);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore model", e);
    }
  }

  static void requireOnlyNetworkEntries(byte[] zip) {
    try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip))) {
      for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (!ENTRIES.contains(e.getName())) {
          throw new org.seqml.util.Refusal("the model zip holds " + e.getName() + ", which no seqml network has "
              + "(only " + new java.util.TreeSet<>(ENTRIES) + "): refused unread, as it may carry a Java serialized "
              + "object that DL4J would deserialize");
        }
      }
    } catch (IOException e) {
      throw new org.seqml.util.Refusal("the model zip cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * A copy of the network for one Spark task, closed when the task ends: its parameters live off
   * the Java heap, and a task must not leave them for the garbage collector (which may be off).
   */
  public static ComputationGraph restoreForTask(byte[] zip) {
    ComputationGraph net = restore(zip, false);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskContext done) -> release(net));
    }
    return net;
  }

  /**
   * Frees a network's parameters, gradients and updater state. Not {@code ComputationGraph.close()}:
   * that also destroys the thread's workspaces and calls System.gc() twice, two full collections
   * (about 70 ms each with a 4 GiB heap) at the end of every task; the workspaces are reused by the
   * next network on the executor thread.
   */
  public static void release(ComputationGraph net) {
    // params() is a reshaped view, on a view buffer: free the buffer it views
    for (INDArray a : new INDArray[] {net.params(), net.getGradientsViewArray(),
        net.getUpdater(false) == null ? null : net.getUpdater(false).getStateViewArray()}) {
      if (a == null) {
        continue;
      }
      org.nd4j.linalg.api.buffer.DataBuffer buffer = a.data();
      while (buffer.originalDataBuffer() != null) {
        buffer = buffer.originalDataBuffer();
      }
      if (buffer.closeable()) {
        buffer.close();
      }
    }
  }

  /** Inference output for features and their mask (null = every position real). */
  public static INDArray output(ComputationGraph net, INDArray features, INDArray mask) {
    return net.output(false, new INDArray[] {features}, mask == null ? null : new INDArray[] {mask}, null)[0];
  }

  public static INDArray output(ComputationGraph net, DataSet batch) {
    return output(net, batch.getFeatures(), batch.getFeaturesMaskArray());
  }

  /**
   * Frees a batch's arrays as soon as it is scored rather than when the collector finds them: by
   * then they may have been promoted, and the native memory behind them waits for an old-gen cycle.
   */
  public static void close(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a != null && a.closeable()) {
        a.close();
      }
    }
  }

  /** Runs the network on one batch's input (every position real) and frees input and output after {@code use}. */
  public static <R> R withOutput(ComputationGraph net, INDArray input, java.util.function.Function<INDArray, R> use) {
    INDArray output = output(net, input, null);
    try {
      return use.apply(output);
    } finally {
      close(input, output);
    }
  }

  public static void close(DataSet batch) {
    close(batch.getFeatures(), batch.getLabels(), batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
  }
}
