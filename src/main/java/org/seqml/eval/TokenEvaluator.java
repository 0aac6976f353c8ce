package org.seqml.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.seqml.io.Json;
import org.seqml.window.Vocabulary;

/**
 * Next-token metrics on the test split: bits per token and perplexity of the model beside the
 * uniform distribution over the vocabulary, the training unigram frequencies, and an order-3 Markov
 * chain (shorter contexts at a sequence's start), both add-one smoothed over the same vocabulary
 * (k-mers unseen in training count as the one unknown token, as for the model). Every baseline
 * scores exactly the tokens the model scores: each token after a sequence's first.
 */
public final class TokenEvaluator {
  private static final double LN2 = Math.log(2);

  private TokenEvaluator() {}

  public static ObjectNode evaluate(Dataset<Row> testScores, Dataset<Row> sequences, Vocabulary vocabulary, int k) {
    ObjectNode out = Json.object();
    Row m = testScores.agg(functions.sum("nll"), functions.sum("tokens"), functions.count("*")).first();
    double tokens = m.isNullAt(1) ? 0 : m.getLong(1);
    out.put("sequences", m.getLong(2));
    out.put("tokens", (long) tokens);
    out.set("model", figures(m.isNullAt(0) ? Double.NaN : m.getDouble(0) / tokens / LN2));

    int v = vocabulary.classes() - 1; // known tokens + unknown (padding is never a target)
    ObjectNode baselines = out.putObject("baselines");
    baselines.set("uniform", figures(Math.log(v) / LN2));
    Dataset<Row> all = tokens(sequences, vocabulary, k);
    Dataset<Row> train = all.filter(col("split").equalTo("train"));
    Dataset<Row> test = all.filter(col("split").equalTo("test"));
    baselines.set("unigram", figures(bits(train, test, lit(""), v)));
    baselines.set("markov_order_3", figures(bits(train, test, col("context"), v)));
    return out;
  }

  private static ObjectNode figures(double bitsPerToken) {
    ObjectNode n = Json.object();
    n.put("bits_per_token", bitsPerToken);
    n.put("perplexity", Math.pow(2, bitsPerToken));
    return n;
  }

  /** (split, token, context) for every token after the first of each sequence. */
  static Dataset<Row> tokens(Dataset<Row> sequences, Vocabulary vocabulary, int k) {
    java.util.List<String> known = vocabulary.events();
    Dataset<Row> exploded = sequences.select(col("sequence_id"), col("split"), functions.posexplode(
        org.seqml.window.SequenceWindows.kmers("sequence", k)).as(new String[] {"pos", "raw"}));
    Column token = functions.when(col("raw").isin(known.toArray()), col("raw")).otherwise(lit("<unknown>"));
    var order = Window.partitionBy("sequence_id").orderBy("pos");
    return exploded.withColumn("token", token)
        .withColumn("context", functions.concat_ws("|", functions.lag("token", 3).over(order),
            functions.lag("token", 2).over(order), functions.lag("token", 1).over(order)))
        .filter(col("pos").geq(1))
        .select("split", "token", "context");
  }

  /** Mean bits of test tokens under add-one smoothed counts of (context, token) in training. */
  static double bits(Dataset<Row> train, Dataset<Row> test, Column context, int v) {
    Dataset<Row> pairs = train.withColumn("ctx", context).groupBy("ctx", "token").agg(functions.count("*").as("n"));
    Dataset<Row> contexts = train.withColumn("ctx", context).groupBy("ctx").agg(functions.count("*").as("total"));
    Row r = test.withColumn("ctx", context)
        .join(pairs, new scala.collection.immutable.Set.Set2<>("ctx", "token").toSeq(), "left")
        .join(contexts, new scala.collection.immutable.Set.Set1<>("ctx").toSeq(), "left")
        .select(functions.log(functions.coalesce(col("n"), lit(0)).plus(1)
            .divide(functions.coalesce(col("total"), lit(0)).plus(v))).as("lp"))
        .agg(functions.sum("lp"), functions.count("*")).first();
    return -r.getDouble(0) / r.getLong(1) / LN2;
  }
}
