package org.seqml.util;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A streaming shuffle with a bounded buffer (as tf.data's shuffle): holds up to {@code size} items,
 * emits a random one of them and refills from the source. Memory stays at {@code size} items
 * however long the source; items move at most about {@code size} places per pass, so a buffer as
 * large as the source is a full permutation. The same seed gives the same order; size 1 keeps it.
 */
public final class ShuffleBuffer<T> implements Iterator<T> {
  private final Iterator<T> source;
  private final List<T> buffer;
  private final int size;
  private final SplittableRandom random;

  private ShuffleBuffer(Iterator<T> source, int size, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("shuffle buffer size must be >= 1, got " + size);
    }
    this.source = source;
    this.size = size;
    this.buffer = new ArrayList<>(Math.min(size, 1024));
    this.random = new SplittableRandom(seed);
  }

  public static <T> Iterator<T> of(Iterator<T> source, int size, long seed) {
    return size == 1 ? source : new ShuffleBuffer<>(source, size, seed);
  }

  @Override
  public boolean hasNext() {
    fill();
    return !buffer.isEmpty();
  }

  @Override
  public T next() {
    fill();
    if (buffer.isEmpty()) {
      throw new NoSuchElementException();
    }
    int i = random.nextInt(buffer.size());
    T picked = buffer.get(i);
    T last = buffer.remove(buffer.size() - 1);
    if (i < buffer.size()) {
      buffer.set(i, last);
    }
    return picked;
  }

  private void fill() {
    while (buffer.size() < size && source.hasNext()) {
      buffer.add(source.next());
    }
  }
}
