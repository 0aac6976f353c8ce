package org.seqml.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's trainable state (parameters, then updater state) as one vector of doubles, its
 * weighted average over workers, and its wire form (a header, then the values in the network's
 * precision).
 */
final class AveragedState {
  /** A header of the examples a worker fitted in the round and its iteration count. */
  private static final int HEADER = Long.BYTES + Integer.BYTES;

  private AveragedState() {}

  /** One worker's contribution to a round. */
  record Contribution(long examples, int iterations, double[] state) {}

  static Contribution of(ComputationGraph net, long examples) {
    INDArray params = net.params();
    INDArray updater = updaterState(net);
    long size = params.length() + (updater == null ? 0 : updater.length());
    double[] state = new double[Math.toIntExact(size)];
    System.arraycopy(params.toDoubleVector(), 0, state, 0, (int) params.length());
    if (updater != null) {
      System.arraycopy(updater.toDoubleVector(), 0, state, (int) params.length(), (int) updater.length());
    }
    return new Contribution(examples, net.getConfiguration().getIterationCount(), state);
  }

  /**
   * The example-weighted mean of the contributions that fitted anything; a worker that ran out of
   * minibatches (weight 0) takes the others' state. A single contributor's state is taken exactly.
   */
  static Contribution average(List<Contribution> all) {
    List<Contribution> fitted = all.stream().filter(c -> c.examples() > 0).toList();
    int iterations = all.stream().mapToInt(Contribution::iterations).max().orElse(0);
    if (fitted.isEmpty()) {
      throw new IllegalStateException("an averaging round in which no worker fitted a minibatch");
    }
    long total = fitted.stream().mapToLong(Contribution::examples).sum();
    if (fitted.size() == 1) {
      return new Contribution(total, iterations, fitted.get(0).state());
    }
    double[] mean = new double[fitted.get(0).state().length];
    for (Contribution c : fitted) {
      double w = (double) c.examples() / total;
      double[] s = c.state();
      for (int i = 0; i < mean.length; i++) {
        mean[i] += w * s[i];
      }
    }
    return new Contribution(total, iterations, mean);
  }

  /** Sets the network's parameters, updater state and iteration count to {@code c}'s. */
  static void apply(ComputationGraph net, Contribution c) {
    INDArray params = net.params();
    INDArray updater = updaterState(net);
    int p = (int) params.length();
    params.assign(vector(c.state(), 0, p, params));
    if (updater != null) {
      updater.assign(vector(c.state(), p, (int) updater.length(), updater));
    }
    net.getConfiguration().setIterationCount(c.iterations());
  }

  private static INDArray vector(double[] state, int from, int length, INDArray like) {
    double[] part = new double[length];
    System.arraycopy(state, from, part, 0, length);
    return Nd4j.createFromArray(part).castTo(like.dataType()).reshape(like.shape());
  }

  private static INDArray updaterState(ComputationGraph net) {
    return net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
  }

  /** The contribution as bytes, state in the network's precision (a float network's average is exact). */
  static byte[] bytes(Contribution c, DataType type) {
    int width = type == DataType.DOUBLE ? Double.BYTES : Float.BYTES;
    ByteBuffer buf = ByteBuffer.allocate(HEADER + c.state().length * width).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(c.examples()).putInt(c.iterations());
    for (double v : c.state()) {
      if (width == Double.BYTES) {
        buf.putDouble(v);
      } else {
        buf.putFloat((float) v);
      }
    }
    return buf.array();
  }

  static Contribution fromBytes(byte[] bytes, DataType type) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long examples = buf.getLong();
    int iterations = buf.getInt();
    boolean doubles = type == DataType.DOUBLE;
    double[] state = new double[buf.remaining() / (doubles ? Double.BYTES : Float.BYTES)];
    for (int i = 0; i < state.length; i++) {
      state[i] = doubles ? buf.getDouble() : buf.getFloat();
    }
    return new Contribution(examples, iterations, state);
  }
}
