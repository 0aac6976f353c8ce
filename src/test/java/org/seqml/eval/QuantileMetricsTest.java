package org.seqml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

/** Pinball loss and coverage on two forecasts worked by hand. */
class QuantileMetricsTest {
  @Test
  void pinballAndCoverageByHand() {
    StructType schema = new StructType().add("horizon_step", DataTypes.IntegerType)
        .add("actual", DataTypes.DoubleType)
        .add("quantiles", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
        .add("std", DataTypes.DoubleType);
    Dataset<Row> pairs = SparkTestSession.get().createDataFrame(List.of(
        // actual 10 against 8, 10, 14: 0.1 x 2, 0, (0.9 - 1) x (10 - 14) -> mean 0.2; over std 2: 0.1
        RowFactory.create(1, 10.0, scala.collection.JavaConverters.mapAsScalaMap(
            Map.of("0.1", 8.0, "0.5", 10.0, "0.9", 14.0)), 2.0),
        // actual 5 against 6, 7, 9: (0.1 - 1) x (-1), (0.5 - 1) x (-2), (0.9 - 1) x (-4) -> mean 2.3 / 3
        RowFactory.create(2, 5.0, scala.collection.JavaConverters.mapAsScalaMap(
            Map.of("0.1", 6.0, "0.5", 7.0, "0.9", 9.0)), 1.0)), schema);
    JsonNode q = QuantileMetrics.evaluate(pairs, new double[] {0.1, 0.5, 0.9}, "std");
    assertEquals((0.2 + 2.3 / 3) / 2, q.get("pinball").asDouble(), 1e-12);
    assertEquals((0.1 + 2.3 / 3) / 2, q.get("pinball_standardised").asDouble(), 1e-12);
    assertEquals(0.5, q.at("/interval/coverage").asDouble(), 1e-12); // 10 in [8, 14]; 5 not in [6, 9]
    assertEquals(0.8, q.at("/interval/nominal").asDouble(), 1e-12);
    assertEquals(0.5, q.at("/coverage/0.1").asDouble(), 1e-12); // 5 <= 6 only
    assertEquals(1.0, q.at("/coverage/0.5").asDouble(), 1e-12); // 10 <= 10 and 5 <= 7
    assertEquals(0, q.get("crossings").asLong());
    assertEquals(0.2, q.at("/by_horizon_step/0/pinball").asDouble(), 1e-12);
    assertEquals(2.3 / 3, q.at("/by_horizon_step/1/pinball").asDouble(), 1e-12);
  }
}
