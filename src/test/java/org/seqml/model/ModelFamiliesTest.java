package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.seqml.config.SeqmlConfig;

/** Every family for every task head: shapes, masking, learning, and a round trip through bytes. */
class ModelFamiliesTest {
  static SeqmlConfig.Model model(String family) {
    return new SeqmlConfig.Model(family, 8, List.of(12, 12), 8, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
  }

  /**
   * The family behind a 1-D convolution front end ("conv+lstm" etc. in the parameterised tests), or the cnn
   * family: "cnn" (two blocks, the second dilated), "cnn-batch" / "cnn-layer" (normalised), "cnn-pool" (both
   * blocks max-pool), "pool+bilstm" (DanQ: a pooling block before a bidirectional LSTM).
   */
  static SeqmlConfig.Model modelFor(String spec) {
    if (spec.startsWith("cnn") || spec.startsWith("pool+")) {
      SeqmlConfig.Model m = model(spec.startsWith("pool+") ? spec.substring(5) : "cnn");
      boolean pool = spec.contains("pool");
      String norm = spec.endsWith("-batch") ? "batch" : spec.endsWith("-layer") ? "layer" : "none";
      return withConv(m, new SeqmlConfig.Conv(List.of(6, 5), List.of(3), List.of(1, 2),
          pool ? List.of(2) : List.of(1), norm, spec.equals("cnn-grad") ? "tanh" : "leakyrelu",
          norm.equals("none") ? 0.0 : 0.1));
    }
    boolean conv = spec.startsWith("conv+");
    SeqmlConfig.Model m = model(conv ? spec.substring(5) : spec);
    return conv ? new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), m.dense(), m.dropout(),
        m.learningRate(), m.l2(), m.gradientClip(), m.seed(), m.transformer(), m.pooling(),
        new SeqmlConfig.Conv(6, 3), m.lstmKernel()) : m;
  }

  static SeqmlConfig.Model withConv(SeqmlConfig.Model m, SeqmlConfig.Conv conv) {
    return new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), m.dense(), m.dropout(), m.learningRate(),
        m.l2(), m.gradientClip(), m.seed(), m.transformer(), m.pooling(), conv, m.lstmKernel());
  }

  /** The poolings a spec can take: last reads the input's own mask, which a pooling block shortens. */
  static List<ModelFactory.Pooling> poolings(String spec) {
    return java.util.Arrays.stream(ModelFactory.Pooling.values())
        .filter(p -> !(p == ModelFactory.Pooling.LAST && modelFor(spec).conv().pools())).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm", "bilstm", "gru", "bigru", "transformer", "conv+lstm", "conv+transformer", "cnn",
      "cnn-pool", "cnn-batch", "cnn-layer", "pool+bilstm", "pool+bigru", "pool+transformer"})
  void everyTaskHeadHasItsShape(String family) {
    INDArray vectors = Nd4j.rand(DataType.FLOAT, 5, 3, 10);
    assertArrayEquals(new long[] {5, 4}, Networks.output(ModelFactory.forecaster(modelFor(family), 3, 10, 4), vectors,
        null).shape(), "forecast: H outputs");
    INDArray tokens = Nd4j.createFromArray(new float[5 * 10]).reshape(5, 1, 10).assign(3);
    INDArray next = Networks.output(ModelFactory.nextEvent(modelFor(family), 20, 10), tokens, null);
    assertArrayEquals(new long[] {5, 20}, next.shape(), "next event/token: a softmax over the vocabulary");
    assertEquals(5.0, next.sumNumber().doubleValue(), 1e-4);
    for (ModelFactory.Pooling pooling : poolings(family)) {
      INDArray cls = Networks.output(ModelFactory.classifier(modelFor(family), ModelFactory.Input.vectors(6), 10, 3,
          pooling), Nd4j.rand(DataType.FLOAT, 5, 6, 10), Nd4j.ones(DataType.FLOAT, 5, 10));
      assertArrayEquals(new long[] {5, 3}, cls.shape(), "classes, " + pooling);
    }
  }

  /** Whatever sits in padded positions, the outputs of real positions and of the model are unchanged. */
  @ParameterizedTest
  @ValueSource(strings = {"lstm", "bilstm", "gru", "bigru", "transformer", "conv+lstm", "conv+bilstm", "conv+bigru",
      "conv+transformer", "cnn", "cnn-pool", "cnn-batch", "cnn-layer", "pool+lstm", "pool+gru", "pool+transformer"})
  void paddingDoesNotChangeRealPositions(String family) {
    for (ModelFactory.Pooling pooling : poolings(family)) {
      ComputationGraph net = ModelFactory.classifier(modelFor(family), ModelFactory.Input.vectors(4), 9, 2, pooling);
      INDArray mask = Nd4j.ones(DataType.FLOAT, 2, 9);
      mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 9))
          .assign(0); // example 0 has 5 real positions, example 1 all 9
      INDArray a = Nd4j.rand(DataType.FLOAT, 2, 4, 9);
      INDArray b = a.dup();
      b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 9)).assign(Nd4j.rand(DataType.FLOAT, 4, 4).muli(50));
      INDArray oa = Networks.output(net, a, mask);
      INDArray ob = Networks.output(net, b, mask);
      assertTrue(oa.equalsWithEps(ob, 1e-5), family + " " + pooling + ": output moved with padding content: " + oa + " vs " + ob);
      INDArray alone = Networks.output(net, a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)),
          mask.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)));
      assertTrue(alone.equalsWithEps(oa.getRow(0, true), 1e-5), family + " " + pooling
          + ": the padded example scores differently alone: " + alone + " vs " + oa.getRow(0, true));
      INDArray c = a.dup();
      c.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(Nd4j.rand(DataType.FLOAT, 4, 5).muli(3));
      assertTrue(!Networks.output(net, c, mask).getRow(0).equalsWithEps(oa.getRow(0), 1e-6), family + " " + pooling
          + ": the output ignores the real positions");
      if (family.equals("transformer")) {
        net.setLayerMaskArrays(new INDArray[] {mask}, null);
        Map<String, INDArray> fa = net.feedForward(new INDArray[] {a}, false, false);
        Map<String, INDArray> fb = net.feedForward(new INDArray[] {b}, false, false);
        net.clearLayerMaskArrays();
        INDArray realA = fa.get("block1").get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
            org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5));
        INDArray realB = fb.get("block1").get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
            org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5));
        assertTrue(realA.equalsWithEps(realB, 1e-5), "top block at real positions moved with padding content");
      }
    }
  }

  /** Analytic gradients of every Transformer parameter (attention, norms, feed-forward) match numeric ones. */
  @Test
  void transformerGradientsAreRight() {
    Nd4j.getRandom().setSeed(3);
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      checkTransformerGradients();
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  private static void checkTransformerGradients() {
    SeqmlConfig.Model m = model("transformer");
    // No ReLU dense layer here: its kink makes numeric gradients unreliable.
    m = new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), 0, 0, m.learningRate(), 0, 0, m.seed(),
        m.transformer(), "auto", m.conv(), m.lstmKernel());
    ComputationGraph net = ModelFactory.build(m, ModelFactory.Input.vectors(3), 5,
        ModelFactory.Pooling.MEAN, 2, true, new NoOp(), DataType.DOUBLE);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 5);
    INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 0, 0, 0}});
    INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}});
    assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
        .inputs(new INDArray[] {x}).labels(new INDArray[] {y}).inputMask(new INDArray[] {mask})
        .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check failed");
  }

  /** Analytic gradients of the convolution blocks (dilation, layer norm, max-pool) and the flatten pooling. */
  @Test
  void convolutionBlockGradientsAreRight() {
    Nd4j.getRandom().setSeed(4);
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      for (String norm : new String[] {"none", "layer"}) {
        SeqmlConfig.Model m = modelFor("cnn-grad");
        m = withConv(new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), 0, 0, m.learningRate(), 0, 0,
            m.seed(), m.transformer(), "auto", m.conv(), m.lstmKernel()), new SeqmlConfig.Conv(List.of(4, 3),
            List.of(3), List.of(1, 2), List.of(2, 1), norm, "tanh", 0.0));
        ComputationGraph net = ModelFactory.build(m, ModelFactory.Input.vectors(3), 8, ModelFactory.Pooling.FLATTEN,
            2, true, new NoOp(), DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 8);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 0, 0},
            {1, 1, 1, 1, 0, 0, 0, 0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
            .inputs(new INDArray[] {x}).labels(new INDArray[] {y}).inputMask(new INDArray[] {mask})
            .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)),
            "gradient check failed, norm " + norm);
      }
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  /**
   * Position matters: class 1 when base 0 sits at offset 2 and base 1 at offset 8, class 0 when the same two
   * bases sit at swapped offsets. A bag of motifs cannot tell them apart; cnn with flatten learns it, and
   * training moves every parameter array (filters, norms, dense, head).
   */
  @ParameterizedTest
  @ValueSource(strings = {"cnn-batch", "cnn-layer"})
  void cnnWithFlattenLearnsPositionsAndMovesEveryParameter(String spec) {
    Nd4j.getRandom().setSeed(12);
    ComputationGraph net = ModelFactory.build(modelFor(spec), ModelFactory.Input.vectors(4), 12,
        ModelFactory.Pooling.FLATTEN, 2, true, new Adam(0.02), DataType.FLOAT);
    int n = 64;
    INDArray x = Nd4j.zeros(DataType.FLOAT, n, 4, 12);
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 12; t++) {
        x.putScalar(new int[] {i, 2 + r.nextInt(2), t}, 1.0);
      }
      boolean positive = i % 2 == 0;
      for (int[] at : new int[][] {{0, positive ? 2 : 8}, {1, positive ? 8 : 2}}) {
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.point(at[1])).assign(0);
        x.putScalar(new int[] {i, at[0], at[1]}, 1.0);
      }
      y.putScalar(i, positive ? 1 : 0, 1.0);
    }
    // With a mask, as every task trains (dropout once failed on masked sequences).
    DataSet data = new DataSet(x, y, Nd4j.ones(DataType.FLOAT, n, 12), null);
    Map<String, INDArray> start = new java.util.HashMap<>();
    net.paramTable().forEach((k, v) -> start.put(k, v.dup()));
    double initial = net.score(data);
    for (int i = 0; i < 150; i++) {
      net.fit(data);
    }
    assertTrue(net.score(data) < 0.1 * initial, spec + ": loss " + initial + " -> " + net.score(data));
    for (Map.Entry<String, INDArray> p : net.paramTable().entrySet()) {
      if (p.getKey().endsWith("_mean") || p.getKey().endsWith("_var") || p.getKey().endsWith("_log10stdev")) {
        continue; // batch norm's running statistics are not trained
      }
      assertTrue(!p.getValue().equalsWithEps(start.get(p.getKey()), 1e-7), spec + ": " + p.getKey() + " never moved");
    }
  }

  /** A motif task: the convolution front end learns it, and training moves its filters. */
  @Test
  void convolutionFrontEndLearnsAMotif() {
    Nd4j.getRandom().setSeed(11);
    ComputationGraph net = ModelFactory.build(modelFor("conv+lstm"), ModelFactory.Input.vectors(4), 12,
        ModelFactory.Pooling.MAX, 2, true, new Adam(0.02), DataType.FLOAT);
    // One-hot "bases"; class 1 when the pair (base 0, base 1) occurs anywhere, base 2 elsewhere.
    int n = 64;
    INDArray x = Nd4j.zeros(DataType.FLOAT, n, 4, 12);
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 12; t++) {
        x.putScalar(new int[] {i, 2 + r.nextInt(2), t}, 1.0);
      }
      boolean motif = i % 2 == 0;
      if (motif) {
        int at = r.nextInt(11);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(at, at + 2)).assign(0);
        x.putScalar(new int[] {i, 0, at}, 1.0);
        x.putScalar(new int[] {i, 1, at + 1}, 1.0);
      }
      y.putScalar(i, motif ? 1 : 0, 1.0);
    }
    DataSet data = new DataSet(x, y);
    INDArray filters = net.getLayer("conv").getParam("W").dup();
    double initial = net.score(data);
    for (int i = 0; i < 200; i++) {
      net.fit(data);
    }
    assertTrue(net.score(data) < 0.1 * initial, "loss " + initial + " -> " + net.score(data));
    assertTrue(!net.getLayer("conv").getParam("W").equalsWithEps(filters, 1e-6), "filters never moved");
  }

  /** A tiny task overfits, and training moves every parameter array of every block. */
  @Test
  void transformerLearnsInEveryBlock() {
    Nd4j.getRandom().setSeed(5);
    ComputationGraph net = ModelFactory.build(model("transformer"), ModelFactory.Input.vectors(2), 6,
        ModelFactory.Pooling.MEAN, 2, true, new Adam(0.01), DataType.FLOAT);
    // Class = whether the first feature rises over the sequence: needs positions and attention.
    INDArray x = Nd4j.rand(DataType.FLOAT, 32, 2, 6);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 2);
    for (int i = 0; i < 32; i++) {
      boolean rising = x.getDouble(i, 0, 5) > x.getDouble(i, 0, 0);
      y.putScalar(i, rising ? 1 : 0, 1.0);
    }
    DataSet data = new DataSet(x, y);
    Map<String, INDArray> before = net.paramTable();
    Map<String, INDArray> start = new java.util.HashMap<>();
    before.forEach((k, v) -> start.put(k, v.dup()));
    double initial = net.score(data);
    for (int i = 0; i < 300; i++) {
      net.fit(data);
    }
    double last = net.score(data);
    assertTrue(last < 0.1 * initial, "loss " + initial + " -> " + last);
    for (Map.Entry<String, INDArray> p : net.paramTable().entrySet()) {
      assertTrue(!p.getValue().equalsWithEps(start.get(p.getKey()), 1e-7), p.getKey() + " never moved");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm", "gru", "bigru", "transformer", "conv+lstm", "cnn-batch", "cnn-layer", "pool+bilstm"})
  void bytesRoundTripScoresIdentically(String family) {
    ComputationGraph net = ModelFactory.classifier(modelFor(family), ModelFactory.Input.tokens(11), 7, 3,
        family.startsWith("cnn") ? ModelFactory.Pooling.FLATTEN : ModelFactory.Pooling.MEAN);
    INDArray tokens = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 0, 0, 9, 8, 7, 6, 5, 4, 3}).reshape(2, 1, 7);
    INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}});
    INDArray expected = Networks.output(net, tokens, mask);
    ComputationGraph back = Networks.restore(Networks.bytes(net, true), true);
    assertEquals(expected, Networks.output(back, tokens, mask));
  }
}
