package org.seqml.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's trainable state (parameters, then updater state) in its wire form: a header of the
 * examples a worker fitted in the round and its iteration count, then the values in the network's
 * precision (double for a double network, float otherwise), little-endian. Workers exchange it and
 * average it as it is, and the values move between it and the network's native arrays in bulk. An
 * exchange through double[] copies and ND4J casts took 17-44 ms a round on worker 0 for the bench
 * LSTM's 606 k values, in a warm JVM (docs/BENCHMARKS.md).
 */
final class AveragedState {
  private static final int HEADER = Long.BYTES + Integer.BYTES;

  private AveragedState() {}

  /** One worker's contribution to a round, decoded (tests and the averaging arithmetic's reference). */
  record Contribution(long examples, int iterations, double[] state) {}

  /** The network's state in wire form, with the examples it fitted in the round. */
  static byte[] wire(ComputationGraph net, long examples) {
    return wire(net, examples, null);
  }

  /** The same, written into {@code reuse} when it has the wire form's size (a new array otherwise). */
  static byte[] wire(ComputationGraph net, long examples, byte[] reuse) {
    INDArray params = net.params();
    INDArray updater = updaterState(net);
    DataType type = wireType(params.dataType());
    long values = params.length() + (updater == null ? 0 : updater.length());
    ByteBuffer buf = ByteBuffer.wrap(sized(reuse, Math.toIntExact(HEADER + values * width(type))))
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(examples).putInt(net.getConfiguration().getIterationCount());
    put(params, type, buf);
    if (updater != null) {
      put(updater, type, buf);
    }
    return buf.array();
  }

  /** Sets the network's parameters, updater state and iteration count to the wire form's. */
  static void apply(ComputationGraph net, byte[] wire) {
    INDArray params = net.params();
    INDArray updater = updaterState(net);
    DataType type = wireType(params.dataType());
    long values = params.length() + (updater == null ? 0 : updater.length());
    if (wire.length != HEADER + values * width(type)) {
      throw new IllegalArgumentException("a state of " + (wire.length - HEADER) / width(type) + " values for a network of "
          + values);
    }
    ByteBuffer buf = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
    buf.getLong();
    int iterations = buf.getInt();
    take(buf, type, params);
    if (updater != null) {
      take(buf, type, updater);
    }
    net.getConfiguration().setIterationCount(iterations);
  }

  /**
   * The example-weighted mean of the wire forms that fitted anything, in wire form; a worker that ran
   * out of minibatches (weight 0) takes the others' state, a single contributor's state is taken exactly,
   * and the iteration count is the furthest worker's. Each value is summed in double, in list order, and
   * rounded once to the network's precision.
   */
  static byte[] average(List<byte[]> wires, DataType networkType) {
    return average(wires, networkType, null);
  }

  /** The same, written into {@code reuse} when it has the mean's size (a new array otherwise). */
  static byte[] average(List<byte[]> wires, DataType networkType, byte[] reuse) {
    DataType type = wireType(networkType);
    int iterations = wires.stream().mapToInt(AveragedState::iterations).max().orElse(0);
    List<byte[]> fitted = wires.stream().filter(w -> examples(w) > 0).toList();
    if (fitted.isEmpty()) {
      throw new IllegalStateException("an averaging round in which no worker fitted a minibatch");
    }
    long total = fitted.stream().mapToLong(AveragedState::examples).sum();
    int values = (fitted.get(0).length - HEADER) / width(type);
    for (byte[] w : fitted) {
      if (w.length != fitted.get(0).length) {
        throw new IllegalArgumentException("workers sent states of different sizes: " + w.length + " and "
            + fitted.get(0).length + " bytes");
      }
    }
    ByteBuffer out = ByteBuffer.wrap(sized(reuse, HEADER + values * width(type))).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(total).putInt(iterations);
    if (fitted.size() == 1) {
      out.put(fitted.get(0), HEADER, values * width(type));
      return out.array();
    }
    double[] weights = fitted.stream().mapToDouble(w -> (double) examples(w) / total).toArray();
    if (type == DataType.DOUBLE) {
      java.nio.DoubleBuffer[] in = fitted.stream().map(w -> body(w).asDoubleBuffer()).toArray(java.nio.DoubleBuffer[]::new);
      java.nio.DoubleBuffer mean = out.asDoubleBuffer();
      for (int i = 0; i < values; i++) {
        double sum = 0;
        for (int c = 0; c < in.length; c++) {
          sum += weights[c] * in[c].get(i);
        }
        mean.put(i, sum);
      }
    } else {
      java.nio.FloatBuffer[] in = fitted.stream().map(w -> body(w).asFloatBuffer()).toArray(java.nio.FloatBuffer[]::new);
      java.nio.FloatBuffer mean = out.asFloatBuffer();
      for (int i = 0; i < values; i++) {
        double sum = 0;
        for (int c = 0; c < in.length; c++) {
          sum += weights[c] * in[c].get(i);
        }
        mean.put(i, (float) sum);
      }
    }
    return out.array();
  }

  /** A hash of the state values alone (not the header): equal for equal parameters and updater state. */
  static int stateHash(byte[] wire) {
    return ByteBuffer.wrap(wire, HEADER, wire.length - HEADER).hashCode();
  }

  /** The contribution in wire form, values rounded to the network's precision. */
  static byte[] bytes(Contribution c, DataType networkType) {
    DataType type = wireType(networkType);
    ByteBuffer buf = ByteBuffer.allocate(HEADER + c.state().length * width(type)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(c.examples()).putInt(c.iterations());
    for (double v : c.state()) {
      if (type == DataType.DOUBLE) {
        buf.putDouble(v);
      } else {
        buf.putFloat((float) v);
      }
    }
    return buf.array();
  }

  static Contribution fromBytes(byte[] wire, DataType networkType) {
    DataType type = wireType(networkType);
    ByteBuffer buf = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
    long examples = buf.getLong();
    int iterations = buf.getInt();
    double[] state = new double[buf.remaining() / width(type)];
    for (int i = 0; i < state.length; i++) {
      state[i] = type == DataType.DOUBLE ? buf.getDouble() : buf.getFloat();
    }
    return new Contribution(examples, iterations, state);
  }

  /**
   * {@code reuse} if it has {@code length} bytes, else a new array: the bench LSTM's state is 2.4 MB, and
   * three new ones a round on worker 0 are humongous objects that start G1's concurrent cycles.
   */
  static byte[] sized(byte[] reuse, int length) {
    return reuse != null && reuse.length == length ? reuse : new byte[length];
  }

  private static long examples(byte[] wire) {
    return ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
  }

  private static int iterations(byte[] wire) {
    return ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN).getInt(Long.BYTES);
  }

  private static ByteBuffer body(byte[] wire) {
    return ByteBuffer.wrap(wire, HEADER, wire.length - HEADER).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static DataType wireType(DataType networkType) {
    return networkType == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
  }

  private static int width(DataType wireType) {
    return wireType == DataType.DOUBLE ? Double.BYTES : Float.BYTES;
  }

  /**
   * Whether x's native buffer holds exactly its values, in order, in the wire's precision. A
   * ComputationGraph's flattened parameters are flagged as a view of a buffer they fill alone; read
   * through a copy they cost worker 0 a 0.8 MB array, a native copy and an assign per round.
   */
  private static boolean direct(INDArray x, DataType type) {
    return x.dataType() == type && x.data().length() == x.length()
        && (!x.isView() || (x.isVector() && x.offset() == 0 && x.elementWiseStride() == 1));
  }

  /** Appends x's values to buf: a bulk copy from its native buffer (typed views convert the byte order). */
  private static void put(INDArray x, DataType type, ByteBuffer buf) {
    INDArray src = direct(x, type) ? x : x.castTo(type).dup('c');
    ByteBuffer in = src.data().asNio().duplicate().order(ByteOrder.nativeOrder());
    int n = (int) x.length();
    if (type == DataType.DOUBLE) {
      buf.asDoubleBuffer().put(in.asDoubleBuffer().limit(n));
    } else {
      buf.asFloatBuffer().put(in.asFloatBuffer().limit(n));
    }
    buf.position(buf.position() + n * width(type));
  }

  /** Reads x.length() values from buf into x: straight into its native buffer when it holds them alone. */
  private static void take(ByteBuffer buf, DataType type, INDArray x) {
    int n = (int) x.length();
    ByteBuffer in = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (direct(x, type)) {
      ByteBuffer out = x.data().asNio().duplicate().order(ByteOrder.nativeOrder());
      if (type == DataType.DOUBLE) {
        out.asDoubleBuffer().put(in.asDoubleBuffer().limit(n));
      } else {
        out.asFloatBuffer().put(in.asFloatBuffer().limit(n));
      }
    } else if (type == DataType.DOUBLE) {
      double[] values = new double[n];
      in.asDoubleBuffer().get(values);
      x.assign(Nd4j.createFromArray(values).castTo(x.dataType()).reshape(x.shape()));
    } else {
      float[] values = new float[n];
      in.asFloatBuffer().get(values);
      x.assign(Nd4j.createFromArray(values).castTo(x.dataType()).reshape(x.shape()));
    }
    buf.position(buf.position() + n * width(type));
  }

  private static INDArray updaterState(ComputationGraph net) {
    return net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
  }

  /** The decoded state of a network (tests). */
  static Contribution of(ComputationGraph net, long examples) {
    return fromBytes(wire(net, examples), net.params().dataType());
  }

  /** Sets a decoded contribution on a network (tests). */
  static void apply(ComputationGraph net, Contribution c) {
    apply(net, bytes(c, net.params().dataType()));
  }

  /** The mean of decoded contributions (tests): {@link #average(List, DataType)} at double precision. */
  static Contribution average(List<Contribution> all) {
    return fromBytes(average(all.stream().map(c -> bytes(c, DataType.DOUBLE)).toList(), DataType.DOUBLE),
        DataType.DOUBLE);
  }
}
