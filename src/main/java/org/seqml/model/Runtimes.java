package org.seqml.model;

import org.nd4j.linalg.factory.Nd4j;
import org.seqml.config.SeqmlConfig;

/** The runtime block of a model's metadata, read off this JVM and ND4J. */
public final class Runtimes {
  private Runtimes() {}

  /** This JVM's runtime, with the kernel choices {@code model} makes on it. */
  public static ModelMetadata.Runtime current(SeqmlConfig.Model model) {
    String blas;
    try {
      blas = String.valueOf(Nd4j.factory().blas().getBlasVendor());
    } catch (RuntimeException | UnsatisfiedLinkError e) { // a backend without a BLAS vendor query
      blas = "unknown";
    }
    return new ModelMetadata.Runtime(System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
        Nd4j.getBackend().getClass().getName(), blas, System.getenv("OPENBLAS_CORETYPE"), NativeGemm.SMALL_KERNELS,
        model.lstmKernel(), model.transformer().kernel());
  }
}
