package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

class GpuBindingTest {
  @Test
  void anAddressMapsToItsPositionAmongTheVisibleDevices() {
    assertEquals(OptionalInt.of(1), GpuBinding.deviceIndex(List.of("2"), "0,2,3"));
    assertEquals(OptionalInt.of(0), GpuBinding.deviceIndex(List.of("GPU-5f1e"), "GPU-5f1e,GPU-77aa"));
  }

  @Test
  void withEveryDeviceVisibleTheAddressIsTheIndex() {
    assertEquals(OptionalInt.of(3), GpuBinding.deviceIndex(List.of("3"), null));
    assertEquals(OptionalInt.of(3), GpuBinding.deviceIndex(List.of("3"), " "));
  }

  @Test
  void noAssignmentMeansNoBinding() {
    assertEquals(OptionalInt.empty(), GpuBinding.deviceIndex(List.of(), "0"));
  }

  @Test
  void disagreementsAreClearErrors() {
    IllegalStateException notVisible = assertThrows(IllegalStateException.class,
        () -> GpuBinding.deviceIndex(List.of("5"), "0,1"));
    assertTrue(notVisible.getMessage().contains("CUDA_VISIBLE_DEVICES=0,1"), notVisible.getMessage());
    assertThrows(IllegalStateException.class, () -> GpuBinding.deviceIndex(List.of("GPU-5f1e"), null));
  }

  @Test
  void cpuAndLocalTasksFallBackToNoBinding() {
    assertEquals(OptionalInt.empty(), GpuBinding.bindCurrentTask(), "no task on the driver");
    List<Boolean> bound = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext())
        .parallelize(List.of(1, 2, 3, 4), 4).map(i -> GpuBinding.bindCurrentTask().isPresent()).collect();
    assertEquals(List.of(false, false, false, false), bound, "local mode has no GPU resources");
  }
}
