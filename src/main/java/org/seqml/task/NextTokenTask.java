package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.seqml.eval.TokenEvaluator;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;
import org.seqml.score.SequenceScorer;
import org.seqml.window.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Next-token modelling of unlabelled sequences: bits per token and perplexity beside unigram and Markov baselines. */
final class NextTokenTask extends TokenTask {
  private static final Logger LOG = LoggerFactory.getLogger(NextTokenTask.class);

  @Override
  public String name() {
    return "next-token";
  }

  @Override
  boolean nextToken() {
    return true;
  }

  @Override
  ObjectNode figures(RunContext run, SequenceSet.Tokens set, Dataset<Row> test, Dataset<Row> validation,
      ModelArtifact model) {
    Vocabulary vocabulary = Vocabulary.fromJson(model.metadata().get("vocabulary"));
    ObjectNode figures = TokenEvaluator.evaluate(test, set.sequences(), vocabulary, set.tokens().k());
    JsonNode m = figures.get("model");
    LOG.info("evaluate ds={} test tokens={}: model bits/token={} perplexity={}; unigram bits/token={}, "
            + "order-3 Markov={}", run.ds(), figures.get("tokens"), m.get("bits_per_token"), m.get("perplexity"),
        figures.get("baselines").get("unigram").get("bits_per_token"),
        figures.get("baselines").get("markov_order_3").get("bits_per_token"));
    return figures;
  }

  @Override
  StructType scoresSchema() {
    return SequenceScorer.TOKEN_SCORES;
  }
}
