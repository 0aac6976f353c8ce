package org.seqml.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.seqml.io.Json;

/** One side of a measure: its repeated values (e.g. samples/s), each with the load average when taken. */
final class Side {
  final String name;
  final String unit;
  private final List<Double> values = new ArrayList<>();
  private final List<Double> loads = new ArrayList<>();

  Side(String name, String unit) {
    this.name = name;
    this.unit = unit;
  }

  void add(double value) {
    values.add(value);
    loads.add(Machine.load1());
  }

  double median() {
    return Side.median(values);
  }

  List<Double> values() {
    return values;
  }

  List<Double> loads() {
    return loads;
  }

  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("name", name);
    n.put("unit", unit);
    ArrayNode v = n.putArray("values");
    values.forEach(v::add);
    ArrayNode l = n.putArray("load_1m");
    loads.forEach(l::add);
    n.put("median", median());
    return n;
  }
}
