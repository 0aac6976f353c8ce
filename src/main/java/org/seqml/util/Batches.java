package org.seqml.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Lazy batching of a partition's iterator: one batch in memory at a time. */
public final class Batches {
  private Batches() {}

  /** Consecutive batches of at most {@code size} items; the last may be smaller. */
  public static <T> Iterator<List<T>> of(Iterator<T> items, int size) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public List<T> next() {
        if (!items.hasNext()) {
          throw new NoSuchElementException();
        }
        List<T> batch = new ArrayList<>(size);
        while (items.hasNext() && batch.size() < size) {
          batch.add(items.next());
        }
        return batch;
      }
    };
  }

  /** Each batch turned into any number of outputs, flattened, still lazily. */
  public static <T, R> Iterator<R> flatMap(Iterator<T> items, int size, Function<List<T>, List<R>> perBatch) {
    Iterator<List<T>> batches = of(items, size);
    return new Iterator<>() {
      private Iterator<R> pending = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!pending.hasNext() && batches.hasNext()) {
          pending = perBatch.apply(batches.next()).iterator();
        }
        return pending.hasNext();
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.next();
      }
    };
  }
}
