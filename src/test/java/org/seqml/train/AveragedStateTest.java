package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.seqml.model.ModelFactory;
import org.seqml.config.SeqmlConfig;

/** The averaging arithmetic and wire form of {@link AveragedState}. */
class AveragedStateTest {

  static ComputationGraph net(long seed) {
    org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
    return ModelFactory.forecaster(model(), 3, 6, 2);
  }

  /** A two-layer LSTM forecaster with Adam (so there is updater state to average). */
  static SeqmlConfig.Model model() {
    return new SeqmlConfig.Model("lstm", 8, List.of(12, 12), 8, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
  }

  @Test
  void theMeanIsWeightedByExamplesAndSkipsWorkersThatFittedNothing() {
    AveragedState.Contribution a = new AveragedState.Contribution(30, 7, new double[] {1, 2, 3});
    AveragedState.Contribution b = new AveragedState.Contribution(10, 9, new double[] {5, 6, 7});
    AveragedState.Contribution idle = new AveragedState.Contribution(0, 4, new double[] {100, 100, 100});
    AveragedState.Contribution mean = AveragedState.average(List.of(a, idle, b));
    assertArrayEquals(new double[] {2, 3, 4}, mean.state(), 1e-12);
    assertEquals(40, mean.examples());
    assertEquals(9, mean.iterations(), "the iteration count is the furthest worker's");
    assertArrayEquals(a.state(), AveragedState.average(List.of(a, idle)).state(), 0, "a lone contributor is exact");
    assertThrows(IllegalStateException.class, () -> AveragedState.average(List.of(idle)));
  }

  @Test
  void theWireFormRoundTripsAtTheNetworksPrecision() {
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.sin(i) * 1e3 + 1.0 / 3;
    }
    AveragedState.Contribution c = new AveragedState.Contribution(123_456_789_012L, 42, values);
    byte[] doubles = AveragedState.bytes(c, DataType.DOUBLE);
    assertEquals(12 + 8 * 1000, doubles.length);
    AveragedState.Contribution back = AveragedState.fromBytes(doubles, DataType.DOUBLE);
    assertEquals(c.examples(), back.examples());
    assertEquals(c.iterations(), back.iterations());
    assertArrayEquals(values, back.state(), 0);

    AveragedState.Contribution floats = AveragedState.fromBytes(AveragedState.bytes(c, DataType.FLOAT), DataType.FLOAT);
    assertEquals(12 + 4 * 1000, AveragedState.bytes(c, DataType.FLOAT).length);
    for (int i = 0; i < values.length; i++) {
      assertEquals((float) values[i], (float) floats.state()[i], 0, "float " + i);
    }
  }

  @Test
  void applyingAContributionSetsParametersUpdaterStateAndIterationCount() {
    ComputationGraph from = net(1);
    from.fit(batch());
    from.fit(batch());
    ComputationGraph to = net(2);
    to.fit(batch());
    AveragedState.apply(to, AveragedState.of(from, 64));
    assertEquals(from.params(), to.params());
    assertEquals(from.getUpdater().getStateViewArray(), to.getUpdater().getStateViewArray());
    assertEquals(from.getConfiguration().getIterationCount(), to.getConfiguration().getIterationCount());
  }

  /**
   * The wire form is the header, then the parameters, then the updater state, copied in bulk from the
   * network's native arrays; applying it sets them exactly. Float and double networks alike.
   */
  @Test
  void aNetworksWireFormIsItsParametersThenItsUpdaterStateAndAppliesExactly() {
    for (DataType precision : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      ComputationGraph from = net(5).convertDataType(precision);
      from.fit(batch().copy());
      from.fit(batch().copy());
      byte[] wire = AveragedState.wire(from, 77);
      AveragedState.Contribution decoded = AveragedState.fromBytes(wire, precision);
      assertEquals(77, decoded.examples());
      assertEquals(2, decoded.iterations());
      double[] params = from.params().toDoubleVector();
      double[] updater = from.getUpdater().getStateViewArray().toDoubleVector();
      assertArrayEquals(params, java.util.Arrays.copyOfRange(decoded.state(), 0, params.length), 0, precision + "");
      assertArrayEquals(updater, java.util.Arrays.copyOfRange(decoded.state(), params.length, decoded.state().length), 0,
          precision + " updater state");
      ComputationGraph to = net(6).convertDataType(precision);
      to.fit(batch().copy());
      AveragedState.apply(to, wire);
      assertEquals(from.params(), to.params());
      assertEquals(from.getUpdater().getStateViewArray(), to.getUpdater().getStateViewArray());
      assertEquals(2, to.getConfiguration().getIterationCount());
      assertEquals(AveragedState.stateHash(wire), AveragedState.stateHash(AveragedState.wire(to, 1)),
          "the state hash ignores the header");
    }
  }

  /** A half-precision network's arrays are not in the wire's precision: its values travel as floats. */
  @Test
  void aHalfPrecisionNetworkTravelsAsFloats() {
    ComputationGraph from = net(8).convertDataType(DataType.HALF);
    ComputationGraph to = net(9).convertDataType(DataType.HALF);
    byte[] wire = AveragedState.wire(from, 3);
    assertEquals(12 + 4 * (from.params().length() + from.getUpdater().getStateViewArray().length()), wire.length);
    AveragedState.apply(to, wire);
    assertEquals(from.params(), to.params());
    assertEquals(from.getUpdater().getStateViewArray(), to.getUpdater().getStateViewArray());
  }

  /**
   * The exchange reuses its arrays from round to round: a wire form or a mean written into an array of
   * its size is that array with the bytes a new one would hold; an array of another size is not written.
   */
  @Test
  void wireFormsAndMeansAreWrittenIntoArraysOfTheirSize() {
    ComputationGraph a = net(10);
    ComputationGraph b = net(11);
    a.fit(batch());
    b.fit(batch());
    byte[] fresh = AveragedState.wire(a, 5);
    byte[] reused = new byte[fresh.length];
    assertSame(reused, AveragedState.wire(a, 5, reused));
    assertArrayEquals(fresh, reused);
    byte[] other = AveragedState.wire(b, 3, reused); // last round's bytes are overwritten
    assertSame(reused, other);
    assertArrayEquals(AveragedState.wire(b, 3), other);
    byte[] wrong = new byte[fresh.length - 4];
    byte[] sized = AveragedState.wire(a, 5, wrong);
    assertNotSame(wrong, sized);
    assertArrayEquals(fresh, sized);
    assertArrayEquals(new byte[wrong.length], wrong, "an array of another size is left as it was");
    byte[] wireB = AveragedState.wire(b, 3);
    byte[] mean = AveragedState.average(List.of(fresh, wireB), DataType.FLOAT);
    byte[] into = new byte[mean.length];
    assertSame(into, AveragedState.average(List.of(fresh, wireB), DataType.FLOAT, into));
    assertArrayEquals(mean, into);
    assertSame(into, AveragedState.average(List.of(fresh), DataType.FLOAT, into));
    assertArrayEquals(AveragedState.average(List.of(fresh), DataType.FLOAT), into, "a lone contributor, reused");
  }

  @Test
  void statesOfTheWrongSizeAreRefused() {
    ComputationGraph net = net(7);
    net.fit(batch());
    byte[] wire = AveragedState.wire(net, 8);
    byte[] shorter = java.util.Arrays.copyOf(wire, wire.length - 4);
    assertThrows(IllegalArgumentException.class, () -> AveragedState.apply(net, shorter));
    assertThrows(IllegalArgumentException.class, () -> AveragedState.average(List.of(wire, shorter), DataType.FLOAT));
  }

  static org.nd4j.linalg.dataset.DataSet batch() {
    return new org.nd4j.linalg.dataset.DataSet(org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 8, 3, 6),
        org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 8, 2));
  }
}
