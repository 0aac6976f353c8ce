package org.seqml.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.ingest.Rejects;
import org.seqml.io.RowCounts;

/** Shares of reject reasons per file (or of the whole input), the warnings and the failing limit. */
class RejectSharesTest {
  static final StructType ACCEPTED = new StructType().add("id", DataTypes.StringType).add("source", DataTypes.StringType);

  static Dataset<Row> rejects(Object[]... bySourceReasonCount) {
    List<Row> rows = new ArrayList<>();
    for (Object[] r : bySourceReasonCount) {
      for (int i = 0; i < (int) r[2]; i++) {
        rows.add(RowFactory.create(r[0], (long) i, r[1], null, null));
      }
    }
    return SparkTestSession.get().createDataFrame(rows, Rejects.SCHEMA);
  }

  static Dataset<Row> accepted(String source, int n, StructType schema) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(schema.size() == 2 ? RowFactory.create("r" + i, source) : RowFactory.create("r" + i));
    }
    return SparkTestSession.get().createDataFrame(rows, schema);
  }

  @Test
  void aReasonOverTheShareOfItsFileWarnsAndOverTheLimitFails() {
    // a.fa: 32 accepted, 68 duplicate_id (68 %); b.fa: 97 accepted, 3 invalid_character (3 %)
    Dataset<Row> rejects = rejects(new Object[] {"a.fa", "duplicate_id", 68}, new Object[] {"b.fa",
        "invalid_character", 3});
    Dataset<Row> accepted = accepted("a.fa", 32, ACCEPTED).union(accepted("b.fa", 97, ACCEPTED));
    RowCounts counts = new RowCounts(200, 129, 71);
    RejectShares.Found found = RejectShares.of(rejects, accepted, counts, 0.05, 1.0);
    assertEquals(List.of("a.fa: duplicate_id takes 68.0% of the file's records (68 of 100)"), found.warnings());
    assertNull(found.failure(), "1 = never fail");
    RejectShares.Found strict = RejectShares.of(rejects, accepted, counts, 0.02, 0.5);
    assertEquals(2, strict.warnings().size(), "b.fa's 3 % is over 2 %");
    assertEquals("a.fa", strict.failure().source());
    assertEquals("duplicate_id", strict.failure().reason());
  }

  @Test
  void withoutFilesTheShareIsOfTheWholeInput() {
    StructType noSource = new StructType().add("id", DataTypes.StringType);
    Dataset<Row> rejects = rejects(new Object[] {"x.csv", "out_of_order", 10}, new Object[] {"y.csv", "bad_price", 2});
    RejectShares.Found found = RejectShares.of(rejects, accepted("", 88, noSource), new RowCounts(100, 88, 12), 0.05,
        1.0);
    assertEquals(List.of("the input: out_of_order takes 10.0% of the input's records (10 of 100)"), found.warnings());
  }
}
