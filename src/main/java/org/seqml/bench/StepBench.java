package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step (forward, backward, Adam update) of the same network shape in DL4J and in
 * PyTorch on the CPU, at the same thread count, in samples/s. Both sides warm up first; each
 * repetition times a fixed number of steps, the DL4J side in this JVM and the PyTorch side in a
 * fresh Python process (bench/torch_step.py), alternately.
 */
final class StepBench {
  private StepBench() {}

  static Result lstm(Params p) {
    return run(p, "lstm", "LSTM training step: batch 64, length 50, 8 features, 2 x 128 LSTM, 3 outputs",
        BenchNetworks.lstm("fused"), new Reference("DL4J's own LSTM layer", "dl4j_lstm_layer", "dl4j_layer",
            BenchNetworks.lstm("dl4j")), "lstm", 1.0);
  }

  static Result transformer(Params p) {
    Result r = run(p, "transformer", "Transformer encoder training step: batch 64, length 50, 8 features, "
        + "2 blocks, 4 heads, d=64, ff=128, post-norm, last step", BenchNetworks.transformer("fused"),
        new Reference("the SameDiff Transformer block", "samediff_block", "samediff_block",
            BenchNetworks.transformer("samediff")), "transformer", 0.8);
    r.settings.put("dl4j_builder", "ModelFactory.forecaster, model.family = transformer (FusedTransformerBlock)");
    return r;
  }

  static Result gru(Params p) {
    return run(p, "gru", "GRU training step: batch 64, length 50, 8 features, 2 x 128 GRU, 3 outputs",
        BenchNetworks.gru("fused"), new Reference("the SameDiff GRU graph", "samediff_gru", "samediff_gru",
            BenchNetworks.gru("samediff")), "gru", 1.0);
  }

  static Result cnn(Params p) {
    return run(p, "cnn", "CNN training step: batch 64, length 50, 8 features, 2 x (64 filters of 5, leaky ReLU, "
        + "max-pool 2), flatten, 3 outputs", BenchNetworks.cnn("fused"), new Reference("DL4J's Convolution1DLayer",
            "dl4j_conv", "dl4j_conv", BenchNetworks.cnn("dl4j")), "cnn", 1.0);
  }

  /**
   * The same network on the implementation seqml's fused layer replaces (model.lstm-kernel = dl4j,
   * model.transformer.kernel = samediff, model.gru-kernel = samediff, model.conv-kernel = dl4j), timed in the
   * same repetitions as a third side: the
   * before/after of the fused layer. Its figures go to results.json as {@code key}, the ratios as
   * fused_over_{@code short} and {@code short}_over_peer.
   */
  private record Reference(String label, String key, String ratioName, ComputationGraph net) {}

  /**
   * Both sides warm up alike, then alternate in short repetitions, the order swapped every repetition:
   * PyTorch runs in one process that answers step requests (bench/torch_step.py --serve), so a
   * repetition's two sides are a second or two apart and share the machine's load, and the ratio is
   * the median of the repetitions' own ratios (Result.throughput). Three times the measure's reps, since
   * each costs about a second; the slow reference side runs in the first {@code p.reps()} of them.
   */
  private static Result run(Params p, String name, String what, ComputationGraph net, Reference ref,
      String torchModel, double goal) {
    ComputationGraph reference = ref == null ? null : ref.net();
    int steps = p.pick(10, 20);
    int warmup = p.pick(10, 20);
    int reps = 3 * p.reps();
    List<DataSet> batches = BenchNetworks.randomBatches(4, BenchNetworks.BATCH, BenchNetworks.FEATURES,
        BenchNetworks.LENGTH, BenchNetworks.HORIZON);
    Python python = Python.fromProperties();
    Side dl4j = new Side("seqml (DL4J " + org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage()
        .getImplementationVersion() + ")", "samples/s");
    Side torch = new Side("PyTorch", "samples/s");
    Side dl4jCpu = new Side("seqml per CPU-second", "samples/cpu-s");
    Side torchCpu = new Side("PyTorch per CPU-second", "samples/cpu-s");
    Side dl4jLayer = new Side(ref == null ? "reference" : ref.label(), "samples/s");
    fit(net, batches, warmup);
    if (reference != null) {
      fit(reference, batches, 5);
    }
    JsonNode last = null;
    try (Python.Server peer = python.serve("torch_step.py", p.threads(), "--model", torchModel, "--threads",
        Integer.toString(p.threads()), "--warmup", Integer.toString(warmup), "--serve")) {
      for (int rep = 0; rep < reps; rep++) {
        double[] seqml = {0, 0};
        JsonNode answer;
        if (rep % 2 == 0) {
          seqml = timedFit(net, batches, steps);
          answer = peer.request(Integer.toString(steps));
        } else {
          answer = peer.request(Integer.toString(steps));
          seqml = timedFit(net, batches, steps);
        }
        last = answer;
        dl4j.add(BenchNetworks.BATCH * steps / seqml[0]);
        dl4jCpu.add(BenchNetworks.BATCH * steps / seqml[1]);
        torch.add(answer.get("samples_per_s").asDouble());
        torchCpu.add(answer.get("samples_per_cpu_s").asDouble());
        if (reference != null && rep < p.reps()) {
          dl4jLayer.add(BenchNetworks.BATCH * steps / fit(reference, batches, steps));
        }
        System.out.printf("%s rep %d: dl4j %.0f samples/s, torch %.0f samples/s, load %.2f%n", name, rep + 1,
            BenchNetworks.BATCH * steps / seqml[0], answer.get("samples_per_s").asDouble(), Machine.load1());
      }
    }
    Result r = Result.throughput(name, what, dl4j, torch, goal).withCpu(dl4jCpu, torchCpu);
    if (reference != null) {
      r.extra.set(ref.key(), dl4jLayer.toJson());
      r.extra.put("fused_over_" + ref.ratioName(), dl4j.median() / dl4jLayer.median());
      r.extra.put(ref.ratioName() + "_over_peer", dl4jLayer.median() / torch.median());
    }
    r.settings.put("threads", p.threads());
    r.settings.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    r.settings.put("nd4j_max_threads", Nd4j.getEnvironment().maxThreads());
    r.settings.put("nd4j_max_master_threads", Nd4j.getEnvironment().maxMasterThreads());
    r.settings.put("torch_set_num_threads", p.threads());
    r.settings.put("steps_per_rep", steps);
    r.settings.put("reps", reps);
    r.settings.put("warmup_steps", warmup);
    r.settings.put("peer_process", "one per measure (torch_step.py --serve), sides alternating");
    r.settings.put("dl4j_params", net.numParams());
    r.settings.put("torch_params", last.get("params").asLong());
    r.settings.put("torch_version", last.get("torch").asText());
    return r;
  }

  /**
   * Evidence for the step gap: how many native ND4J ops one LSTM training step runs (ND4J's
   * OpProfiler, counting every op invocation) on DL4J's own LSTM layer and on seqml's fused one.
   */
  static void profileLstm() {
    for (String kernel : List.of("dl4j", "fused")) {
      ComputationGraph net = BenchNetworks.lstm(kernel);
      List<DataSet> batches = BenchNetworks.randomBatches(2, BenchNetworks.BATCH, BenchNetworks.FEATURES,
          BenchNetworks.LENGTH, BenchNetworks.HORIZON);
      fit(net, batches, 3);
      int steps = 5;
      org.nd4j.linalg.profiler.OpProfiler.getInstance().reset();
      Nd4j.getExecutioner().setProfilingConfig(org.nd4j.linalg.profiler.ProfilerConfig.builder().stackTrace(false)
          .checkElapsedTime(true).build());
      double seconds = fit(net, batches, steps);
      Nd4j.getExecutioner().setProfilingConfig(org.nd4j.linalg.profiler.ProfilerConfig.builder().build());
      long ops = org.nd4j.linalg.profiler.OpProfiler.getInstance().getInvocationsCount();
      org.nd4j.linalg.profiler.OpProfiler.getInstance().printOutDashboard();
      System.out.printf("lstm-profile %s: %d native ops in %d training steps = %d per step (%.1f per time step), "
          + "%.1f ms per step with profiling on%n", kernel, ops, steps, ops / steps,
          ops / (double) steps / BenchNetworks.LENGTH, 1000 * seconds / steps);
    }
  }

  /** {wall seconds, CPU seconds of this process} of {@code steps} training steps. */
  private static double[] timedFit(ComputationGraph net, List<DataSet> batches, int steps) {
    Clock clock = new Clock();
    fit(net, batches, steps);
    return new double[] {clock.wallSeconds(), clock.cpuSeconds()};
  }

  private static double fit(ComputationGraph net, List<DataSet> batches, int steps) {
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      net.fit(batches.get(i % batches.size()));
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
