package org.seqml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' choice of ND4J's OpenBLAS kernels (submit/openblas-coretype.sh, sourced by
 * submit/seqml and submit/local-cluster), run by bash against made-up cpuinfo files.
 */
class OpenblasCoretypeTest {
  private static final String AVX512 = "flags : fpu sse2 avx avx2 avx512f avx512dq avx512cd avx512bw avx512vl\n";
  private static final String AVX2 = "flags : fpu sse2 avx avx2\n";
  /** Four of the five subsets: the SkylakeX kernels would fault on such a CPU. */
  private static final String AVX512_NO_VL = "flags : fpu sse2 avx avx2 avx512f avx512dq avx512cd avx512bw\n";

  @TempDir
  Path dir;

  @Test
  void picksSkylakeXOnlyOnACpuWithEveryAvx512SubsetItUses() throws Exception {
    assertEquals(new Outcome("SkylakeX", ""), source(AVX512, null));
    assertEquals(new Outcome("", ""), source(AVX2, null));
    assertEquals(new Outcome("", ""), source(AVX512_NO_VL, null));
  }

  @Test
  void keepsTheUsersChoiceAndSaysSoWhenItHoldsAnAvx512CpuToOlderKernels() throws Exception {
    Outcome haswell = source(AVX512, "Haswell");
    assertEquals("Haswell", haswell.coretype());
    assertTrue(haswell.stderr().contains("OPENBLAS_CORETYPE=Haswell from the environment"), haswell.stderr());
    assertEquals(new Outcome("skylakex", ""), source(AVX512, "skylakex"));
    assertEquals(new Outcome("Cooperlake", ""), source(AVX512, "Cooperlake"));
    assertEquals(new Outcome("Haswell", ""), source(AVX2, "Haswell"), "no AVX-512: nothing to say");
  }

  private record Outcome(String coretype, String stderr) {}

  private Outcome source(String cpuinfo, String coretype) throws IOException, InterruptedException {
    Path info = Files.writeString(dir.resolve("cpuinfo"), cpuinfo);
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "set -euo pipefail; source submit/openblas-coretype.sh; printf '%s' \"${OPENBLAS_CORETYPE:-}\"");
    Map<String, String> env = pb.environment();
    env.put("SEQML_CPUINFO", info.toString());
    env.remove("OPENBLAS_CORETYPE");
    if (coretype != null) {
      env.put("OPENBLAS_CORETYPE", coretype);
    }
    Path err = dir.resolve("stderr");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "the script must not fail under set -euo pipefail");
    return new Outcome(out, Files.readString(err).trim());
  }
}
