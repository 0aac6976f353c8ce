package org.seqml.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.seqml.io.Json;

/**
 * A measure's outcome: both sides, the ratio of their medians as the measure defines it (higher is
 * better for seqml), the goal, and what was measured with which settings.
 */
final class Result {
  final String name;
  final String what;
  final Side seqml;
  final Side peer;
  final String ratioDefinition;
  final double ratio;
  final double goal;
  final ObjectNode settings = Json.object();
  final ObjectNode extra = Json.object();
  private Side seqmlCpu;
  private Side peerCpu;

  /** The same throughputs per CPU-second of the process (robust to other load on the machine). */
  Result withCpu(Side seqmlPerCpuSecond, Side peerPerCpuSecond) {
    this.seqmlCpu = seqmlPerCpuSecond;
    this.peerCpu = peerPerCpuSecond;
    return this;
  }

  Result(String name, String what, Side seqml, Side peer, String ratioDefinition, double ratio, double goal) {
    this.name = name;
    this.what = what;
    this.seqml = seqml;
    this.peer = peer;
    this.ratioDefinition = ratioDefinition;
    this.ratio = ratio;
    this.goal = goal;
  }

  /**
   * seqml's rate over the peer's. Every throughput measure runs its sides in repetitions, one side right
   * after the other, so the ratio is the median of the repetitions' own ratios: two sides that run back
   * to back share the machine's load, while on a noisy machine the two sides' medians can fall on
   * different repetitions (a quick averaging run read 0.526 as a ratio of medians, 0.851 as the median of
   * 0.851, 0.491 and 0.851). Sides of unequal counts fall back to the ratio of medians, which
   * results.json keeps beside it for every measure ({@code extra.ratio_of_medians}).
   */
  static Result throughput(String name, String what, Side seqml, Side peer, double goal) {
    java.util.List<Double> a = seqml.values();
    java.util.List<Double> b = peer.values();
    double ofMedians = seqml.median() / peer.median();
    if (a.size() != b.size() || a.size() < 2) {
      Result r = new Result(name, what, seqml, peer, "seqml / peer (" + seqml.unit + "), ratio of the medians",
          ofMedians, goal);
      r.extra.put("ratio_of_medians", ofMedians);
      return r;
    }
    java.util.List<Double> ratios = new java.util.ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      ratios.add(a.get(i) / b.get(i));
    }
    Result r = new Result(name, what, seqml, peer, "seqml / peer (" + seqml.unit + "), median over the "
        + "repetitions of each one's ratio", Side.median(ratios), goal);
    com.fasterxml.jackson.databind.node.ArrayNode each = r.extra.putArray("rep_ratios");
    ratios.forEach(each::add);
    r.extra.put("median_rep_ratio", r.ratio);
    r.extra.put("lowest_rep_ratio", java.util.Collections.min(ratios));
    r.extra.put("highest_rep_ratio", java.util.Collections.max(ratios));
    r.extra.put("ratio_of_medians", ofMedians);
    return r;
  }

  ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("name", name);
    n.put("what", what);
    n.set("seqml", seqml.toJson());
    n.set("peer", peer.toJson());
    n.put("ratio_definition", ratioDefinition);
    n.put("ratio", ratio);
    n.put("goal", goal);
    n.put("pass", ratio >= goal);
    java.util.List<Double> loads = new java.util.ArrayList<>(seqml.loads());
    loads.addAll(peer.loads());
    n.put("load_1m_median", Side.median(loads));
    if (seqmlCpu != null) {
      ObjectNode cpu = n.putObject("per_cpu_second");
      cpu.set("seqml", seqmlCpu.toJson());
      cpu.set("peer", peerCpu.toJson());
      cpu.put("ratio", seqmlCpu.median() / peerCpu.median());
    }
    n.set("settings", settings);
    n.set("extra", extra);
    return n;
  }
}
