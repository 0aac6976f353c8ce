package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqml.SeqmlProcess;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Layout;
import org.seqml.model.ModelArtifact;
import org.seqml.run.CodeVersion;
import org.seqml.pipeline.Phases;
import org.seqml.run.RunContext;

/**
 * The driver is killed (SIGKILL) during training; train --resume finishes from the newest complete
 * checkpoint and publishes the same model as an uninterrupted run with the same seed. Tolerance:
 * every parameter within 1e-4 (parameter averaging sums worker results in completion order, so the
 * last float bits may differ).
 */
class ResumeTest {
  static final List<String> ARGS = List.of("--pipeline", "ticks", "--env", "ci", "--ds", "2024-03-04",
      "--conf", "train.keep-best=false", "--conf", "train.epochs=4");
  @TempDir Path work;

  @Test
  void aKilledDriverResumesToTheSameModel() throws Exception {
    Path out = work.resolve("killed");
    Path log = work.resolve("driver.log");
    List<String> run = new ArrayList<>(List.of("run"));
    run.addAll(ARGS);
    run.addAll(List.of("--conf", "output.dir=" + out));
    Process driver = SeqmlProcess.start(log, run);
    Path second = out.resolve("ticks/checkpoints/epoch-0002/SHA256SUMS");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(second) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(second), () -> "no checkpoint of epoch 2:\n" + SeqmlProcess.tail(log));
    driver.destroyForcibly().waitFor();
    assertTrue(!Files.exists(out.resolve("ticks/model")), "the killed run published no model");
    // On a loaded machine epoch 3 may land between the poll and the kill: the resume starts after whichever
    // checkpoint is the newest complete one now, so nothing below races the clock.
    int kept = 2;
    while (Files.exists(out.resolve(String.format("ticks/checkpoints/epoch-%04d/SHA256SUMS", kept + 1)))) {
      kept++;
    }
    assertTrue(kept < 4, "the killed run had finished training: nothing left to resume");

    List<String> resume = new ArrayList<>(List.of("train", "--resume"));
    resume.addAll(ARGS);
    resume.addAll(List.of("--conf", "output.dir=" + out));
    Process resumed = SeqmlProcess.start(log, resume);
    assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "resume timed out");
    assertEquals(0, resumed.exitValue(), () -> "resume failed:\n" + SeqmlProcess.tail(log));
    String text = Files.readString(log);
    String resumedAfter = "resuming after epoch " + kept;
    assertTrue(text.contains(resumedAfter), SeqmlProcess.tail(log));
    String afterResume = text.substring(text.indexOf(resumedAfter));
    for (int epoch = 1; epoch <= 4; epoch++) {
      assertEquals(epoch > kept, afterResume.contains("epoch " + epoch + "/4"),
          "the resumed run trains the epochs after " + kept + " only:\n" + afterResume);
    }

    Path whole = work.resolve("whole");
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks", "ci",
        List.of("output.dir=" + whole, "train.keep-best=false", "train.epochs=4"));
    Phases.run(new RunContext(config, SparkTestSession.get(), "2024-03-04", "whole", CodeVersion.get(),
        Layout.of(config.outputDir(), "ticks")));

    var hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    INDArray a = ModelArtifact.load(whole.resolve("ticks/model").toString(), hadoop).network().params();
    INDArray b = ModelArtifact.load(out.resolve("ticks/model").toString(), hadoop).network().params();
    double maxDiff = a.sub(b).amaxNumber().doubleValue();
    System.out.printf("resume check: max |parameter difference| uninterrupted vs killed+resumed = %.3g%n", maxDiff);
    assertTrue(maxDiff <= 1e-4, "max parameter difference " + maxDiff);
  }
}
