package org.seqml.bench;

import org.seqml.train.ExchangeTiming;

/**
 * The parameter exchange's cost of authentication: rounds of the bench LSTM's state (parameters and Adam's
 * two moments) between two tasks over loopback, with the messages' HMAC-SHA256 tags against without them,
 * interleaved. Both sides prove the stage's secret on connecting; that one handshake is not timed.
 */
final class ExchangeBench {
  private ExchangeBench() {}

  static Result run(Params p) throws Exception {
    int stateBytes = (int) BenchNetworks.lstm("fused").params().length() * 3 * Float.BYTES;
    int rounds = p.pick(20, 50);
    Side tagged = new Side("exchange with integrity tags", "rounds/s");
    Side plain = new Side("the same exchange untagged", "rounds/s");
    Side taggedMs = new Side("with tags", "ms/round");
    Side plainMs = new Side("untagged", "ms/round");
    for (int rep = 0; rep < 3 * p.reps(); rep++) {
      boolean taggedFirst = rep % 2 == 0;
      double a = 0;
      double b = 0;
      for (int side = 0; side < 2; side++) {
        boolean withTags = (side == 0) == taggedFirst;
        double s = ExchangeTiming.secondsPerRound(2, stateBytes, rounds, withTags);
        if (withTags) {
          a = s;
        } else {
          b = s;
        }
      }
      tagged.add(1 / a);
      plain.add(1 / b);
      taggedMs.add(a * 1e3);
      plainMs.add(b * 1e3);
      System.out.printf("exchange rep %d: %.2f ms a round with tags, %.2f without, load %.2f%n", rep + 1, a * 1e3,
          b * 1e3, Machine.load1());
    }
    Result r = Result.throughput("exchange", "Parameter exchange round, 2 tasks over loopback, " + stateBytes
        + " bytes of state each way (the bench LSTM's parameters and Adam moments): HMAC-SHA256 tags on every "
        + "message against none", tagged, plain, 0.25);
    r.extra.set("ms_per_round_tagged", taggedMs.toJson());
    r.extra.set("ms_per_round_untagged", plainMs.toJson());
    r.extra.put("overhead_ms_per_round", taggedMs.median() - plainMs.median());
    r.settings.put("state_bytes", stateBytes);
    r.settings.put("rounds_per_rep", rounds);
    return r;
  }
}
