package org.seqml.bench;

import java.nio.file.Path;

/**
 * What a measure runs with: quick (a few minutes for all, smaller data) or full size, the thread
 * count both sides of a compute measure get, repetitions per side, and the output folder.
 */
record Params(boolean quick, int threads, int reps, Path out) {
  /** Picks the quick or the full value. */
  int pick(int quickValue, int fullValue) {
    return quick ? quickValue : fullValue;
  }

  String[] toArgs(String measure) {
    return new String[] {measure, quick ? "quick" : "full", Integer.toString(threads), Integer.toString(reps),
        out.toString()};
  }

  static Params fromArgs(String[] args) {
    return new Params(args[1].equals("quick"), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
        Path.of(args[4]));
  }
}
