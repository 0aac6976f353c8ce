/**
 * Benchmarks (never part of the tests): each measure runs two sides in one process, interleaved
 * (A, B, A, B, ...), with the 1-minute load average beside every timing, and reports the medians
 * and their ratio against a goal. {@link org.seqml.bench.BenchCommand} runs each measure in a
 * child JVM of its own ({@link org.seqml.bench.BenchPart}) and writes out/bench/results.json.
 */
package org.seqml.bench;
