package org.seqml.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The streaming shuffle the barrier workers visit their minibatches through. */
class ShuffleBufferTest {
  private static List<Integer> drain(Iterator<Integer> it) {
    List<Integer> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static List<Integer> shuffled(int n, int size, long seed) {
    return drain(ShuffleBuffer.of(IntStream.range(0, n).boxed().iterator(), size, seed));
  }

  @Test
  void everyItemComesOutOnceInASeededOrder() {
    List<Integer> a = shuffled(1000, 64, 7);
    assertEquals(IntStream.range(0, 1000).boxed().toList(), a.stream().sorted().toList(), "a permutation");
    assertEquals(a, shuffled(1000, 64, 7), "the same seed, the same order");
    assertNotEquals(a, shuffled(1000, 64, 8), "another epoch's seed, another order");
    assertNotEquals(IntStream.range(0, 1000).boxed().toList(), a);
  }

  @Test
  void theBufferBoundsHowEarlyAnItemCanComeOut() {
    List<Integer> a = shuffled(1000, 16, 3);
    for (int position = 0; position < a.size(); position++) {
      // the item at output position p was read by then: it is one of the first p + 16 items
      assertTrue(a.get(position) < position + 16, "item " + a.get(position) + " at " + position);
    }
  }

  @Test
  void sizeOneKeepsTheOrderAndEmptySourcesStayEmpty() {
    assertEquals(IntStream.range(0, 50).boxed().toList(), shuffled(50, 1, 1));
    assertEquals(List.of(), shuffled(0, 8, 1));
    assertEquals(List.of(0), shuffled(1, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> ShuffleBuffer.of(List.of(1).iterator(), 0, 1));
  }
}
