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

  /** seqml's median over the peer's: for throughputs (higher is better). */
  static Result throughput(String name, String what, Side seqml, Side peer, double goal) {
    Result r = new Result(name, what, seqml, peer, "seqml / peer (" + seqml.unit + ")",
        seqml.median() / peer.median(), goal);
    // Beside it, each repetition's own ratio (its two sides are taken one after the other, so they share
    // the machine's load): on a noisy machine the sides' medians can fall on different repetitions.
    java.util.List<Double> a = seqml.values();
    java.util.List<Double> b = peer.values();
    if (a.size() == b.size() && a.size() > 1) {
      java.util.List<Double> ratios = new java.util.ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        ratios.add(a.get(i) / b.get(i));
      }
      com.fasterxml.jackson.databind.node.ArrayNode each = r.extra.putArray("rep_ratios");
      ratios.forEach(each::add);
      r.extra.put("median_rep_ratio", Side.median(ratios));
    }
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
