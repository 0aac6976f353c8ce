"""The peer of seqml's end-to-end bench: the ticks pipeline's work done the way Spark itself offers for deep
learning. PySpark reads the trades/quotes Parquet and computes the same per-symbol features, split cuts and
sliding windows as seqml (pipelines/ticks.conf read through pipelines/ticks-table.conf); TorchDistributor
(DDP over local processes, gloo) trains the same network with the same optimiser, batch per worker, epochs
and seed; predict_batch_udf scores the test windows; the scores go to Parquet. Prints one JSON line:
phase seconds, training samples/s, the window counts and scaler (to check both sides saw the same data),
and test RMSE of the model and of the zero forecast, in basis points as seqml reports them; it writes
OUT/sample_steps.json, the features of every step whose position is a multiple of 997, for the bench to
compare with seqml's steps.

Usage: e2e_peer.py --input DIR --out DIR [--epochs 6] [--window 32 --stride 2 --horizon 3]
"""
import argparse
import json
import os
import shutil
import time

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

FEATURES = ["ret", "spread", "imbalance", "volume"]


def build_steps(spark, path, scale):
    """Per-symbol features in event order; a symbol's first tick has no return and is dropped (as seqml)."""
    from pyspark.sql import Window, functions as F

    ticks = spark.read.parquet(path).select(
        F.col("symbol").cast("string").alias("key"), F.col("timestamp").alias("ts"),
        F.col("bid").cast("double").alias("bid"), F.col("ask").cast("double").alias("ask"),
        F.col("bid_size").cast("double").alias("bid_size"), F.col("ask_size").cast("double").alias("ask_size"),
        F.col("size").cast("double").alias("size"), F.monotonically_increasing_id().alias("row"))
    order = Window.partitionBy("key").orderBy("ts", "row")
    mid = (F.col("bid") + F.col("ask")) / 2
    depth = F.col("bid_size") + F.col("ask_size")
    return (ticks.withColumn("mid", mid).withColumn("seq", F.row_number().over(order).cast("long"))
            .withColumn("prev_mid", F.lag("mid").over(order))
            .where(F.col("prev_mid").isNotNull())
            .select("key", "ts", "seq",
                    ((F.log("mid") - F.log("prev_mid")) * scale).alias("ret"),
                    ((F.col("ask") - F.col("bid")) / F.col("mid") * scale).alias("spread"),
                    F.when(depth > 0, (F.col("bid_size") - F.col("ask_size")) / depth).otherwise(0.0)
                    .alias("imbalance"),
                    F.log1p("size").alias("volume")))


def windows_of(spark, steps, cuts, w, s, h):
    """Sliding windows per key: ends at w-1, w-1+s, ...; split by time as seqml's split.by = window."""
    from pyspark.sql.types import (ArrayType, FloatType, LongType, StringType, StructField, StructType)

    c1, c2 = cuts
    schema = StructType([StructField("key", StringType()), StructField("end_pos", LongType()),
                         StructField("features", ArrayType(FloatType())), StructField("target", ArrayType(FloatType())),
                         StructField("split", StringType())])

    def cut(pdf):
        pdf = pdf.sort_values(["ts_us", "seq"])
        x = pdf[FEATURES].to_numpy(np.float32)
        t = pdf["ts_us"].to_numpy(np.int64)
        n = len(pdf)
        ends = np.arange(w - 1, n - h, s)  # every target known: the only windows trained or evaluated on
        rows = []
        for e in ends:
            first, last = t[e - w + 1], t[e + h]
            if last < c1:
                split = "train"
            elif first >= c1 and last < c2:
                split = "validation"
            elif first >= c2:
                split = "test"
            else:
                continue
            rows.append((pdf["key"].iat[0], int(e), x[e - w + 1:e + 1].reshape(-1), x[e + 1:e + h + 1, 0], split))
        return pd.DataFrame(rows, columns=["key", "end_pos", "features", "target", "split"])

    from pyspark.sql import functions as F
    return (steps.select("key", "seq", F.unix_micros("ts").alias("ts_us"), *FEATURES)
            .groupBy("key").applyInPandas(cut, schema))


def train_fn(train_path, validation_path, scaler, args):
    """One DDP worker: its shard of the training windows, minibatches of args['batch'], Adam, best epoch kept."""
    import torch
    import torch.distributed as dist
    from torch import nn

    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(args["seed"])
    f, w, h = len(FEATURES), args["window"], args["horizon"]

    def load(path):
        table = pq.read_table(path, columns=["features", "target"])
        x = np.stack(table.column("features").to_numpy(zero_copy_only=False)).astype(np.float32).reshape(-1, w, f)
        y = np.stack(table.column("target").to_numpy(zero_copy_only=False)).astype(np.float32)
        x = (x - np.array(scaler["mean"], np.float32)) / np.array(scaler["std"], np.float32)
        y = (y - scaler["target_mean"]) / scaler["target_std"]
        return torch.from_numpy(x), torch.from_numpy(y)

    x, y = load(train_path)
    vx, vy = load(validation_path)
    shard = torch.arange(rank, len(x), world)
    x, y = x[shard], y[shard]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(f, args["hidden"], args["layers"], batch_first=True)
            self.dense = nn.Sequential(nn.Linear(args["hidden"], args["dense"]), nn.ReLU())
            self.out = nn.Linear(args["dense"], h)

        def forward(self, v):
            o, _ = self.rnn(v)
            return self.out(self.dense(o[:, -1]))

    net = Net()
    for p in net.parameters():  # Xavier as seqml's networks; biases zero
        nn.init.xavier_uniform_(p) if p.dim() > 1 else nn.init.zeros_(p)
    model = nn.parallel.DistributedDataParallel(net)
    opt = torch.optim.Adam(model.parameters(), lr=args["lr"], weight_decay=args["l2"])
    loss_fn = nn.MSELoss()
    generator = torch.Generator().manual_seed(args["seed"] + rank)
    batch = args["batch"]
    steps = len(x) // batch
    best, best_state, seen, fit_seconds, epochs = float("inf"), None, 0, 0.0, []
    for epoch in range(args["epochs"]):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for i in range(steps):
            idx = order[i * batch:(i + 1) * batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            torch.nn.utils.clip_grad_value_(model.parameters(), args["clip"])
            opt.step()
            total += loss.item()
        seen += steps * batch
        fit_seconds += time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            val = float(loss_fn(net(vx), vy))
        epochs.append({"epoch": epoch + 1, "train_loss": total / max(1, steps), "validation_loss": val})
        if val < best:
            best, best_state = val, {k: v.clone() for k, v in net.state_dict().items()}
    samples = torch.tensor([float(seen)])
    dist.all_reduce(samples)
    if rank == 0:
        torch.save(best_state, args["model_path"])
    dist.destroy_process_group()
    return {"samples": float(samples.item()), "fit_seconds": fit_seconds, "epochs": epochs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--window", type=int, default=32)
    ap.add_argument("--stride", type=int, default=2)
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--train", type=float, default=0.7)
    ap.add_argument("--validation", type=float, default=0.15)
    a = ap.parse_args()
    t_start = time.perf_counter()
    from pyspark.sql import SparkSession, functions as F
    from pyspark.ml.functions import predict_batch_udf
    from pyspark.ml.torch.distributor import TorchDistributor
    from pyspark.sql.types import ArrayType, FloatType

    spark = (SparkSession.builder.master("local[2]").appName("seqml-e2e-peer")
             .config("spark.driver.memory", "6g").config("spark.sql.shuffle.partitions", "8")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    t_spark = time.perf_counter()

    # ingest + window: features, the split's time cuts, windows written to Parquet
    steps = build_steps(spark, a.input, 10000.0).cache()
    q = steps.select(F.unix_micros("ts").alias("t")).approxQuantile("t", [a.train, a.train + a.validation], 0.0005)
    cuts = (int(q[0]), int(q[1]))
    windows = windows_of(spark, steps, cuts, a.window, a.stride, a.horizon)
    windows.write.partitionBy("split").parquet(a.out + "/windows")
    # a sample of the steps (every one whose position is a multiple of 997), for the bench to compare
    sample = steps.where(F.col("seq") % 997 == 0).orderBy("key", "seq").collect()
    with open(a.out + "/sample_steps.json", "w") as out:
        json.dump([[r["key"], r["seq"]] + [r[c] for c in FEATURES] for r in sample], out)
    steps.unpersist()
    t_window = time.perf_counter()

    # train: the scaler on the training windows, then TorchDistributor
    train = spark.read.parquet(a.out + "/windows").where("split = 'train'")
    counts = {r["split"]: r["count"] for r in spark.read.parquet(a.out + "/windows").groupBy("split").count().collect()}
    f = len(FEATURES)
    stats = train.select(F.posexplode("features").alias("i", "v")).groupBy((F.col("i") % f).alias("k")).agg(
        F.mean("v").alias("m"), F.stddev_pop("v").alias("s")).orderBy("k").collect()
    tstats = train.select(F.explode("target").alias("v")).agg(F.mean("v"), F.stddev_pop("v")).first()
    scaler = {"mean": [float(r["m"]) for r in stats], "std": [float(r["s"]) for r in stats],
              "target_mean": float(tstats[0]), "target_std": float(tstats[1])}
    model_path = os.path.abspath(a.out + "/model.pt")
    params = {"seed": 42, "window": a.window, "horizon": a.horizon, "hidden": 32, "layers": 2, "dense": 32,
              "lr": 0.003, "l2": 1e-5, "clip": 1.0, "batch": 32, "epochs": a.epochs, "model_path": model_path}
    result = TorchDistributor(num_processes=2, local_mode=True, use_gpu=False).run(
        train_fn, a.out + "/windows/split=train", a.out + "/windows/split=validation", scaler, params)
    t_train = time.perf_counter()

    # score the test windows with predict_batch_udf; predictions back in basis points, to Parquet
    def make_predict_fn():
        import torch
        from torch import nn
        torch.set_num_threads(1)
        state = torch.load(model_path)
        rnn = nn.LSTM(f, 32, 2, batch_first=True)
        dense = nn.Linear(32, 32)
        out = nn.Linear(32, a.horizon)
        rnn.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("rnn.")})
        dense.load_state_dict({k[8:]: v for k, v in state.items() if k.startswith("dense.0.")})
        out.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("out.")})
        mean = np.array(scaler["mean"], np.float32)
        std = np.array(scaler["std"], np.float32)

        def predict(x):
            v = torch.from_numpy(((x.reshape(-1, a.window, f) - mean) / std).astype(np.float32))
            with torch.no_grad():
                o, _ = rnn(v)
                y = out(torch.relu(dense(o[:, -1]))).numpy()
            return y * scaler["target_std"] + scaler["target_mean"]
        return predict

    predict = predict_batch_udf(make_predict_fn, return_type=ArrayType(FloatType()), batch_size=1024,
                                input_tensor_shapes=[[a.window * f]])
    test = spark.read.parquet(a.out + "/windows").where("split = 'test'")
    test.select("key", "end_pos", "target", predict("features").alias("prediction")) \
        .write.parquet(a.out + "/scores")
    t_score = time.perf_counter()

    # evaluate: RMSE over every (window, horizon step), model and zero forecast
    err = spark.read.parquet(a.out + "/scores").select(
        F.explode(F.arrays_zip("target", "prediction")).alias("z")).select(
        F.col("z.target").alias("y"), F.col("z.prediction").alias("p")).agg(
        F.sqrt(F.mean((F.col("p") - F.col("y")) ** 2)).alias("model"), F.sqrt(F.mean(F.col("y") ** 2)).alias("zero"),
        F.count("*").alias("n")).first()
    t_end = time.perf_counter()
    spark.stop()
    print(json.dumps({
        "seconds": {"start": t_spark - t_start, "ingest_window": t_window - t_spark, "train": t_train - t_window,
                    "score": t_score - t_train, "evaluate": t_end - t_score, "total": t_end - t_start},
        "train_samples_per_s": result["samples"] / max(1e-9, result["fit_seconds"] / 1.0),
        "train_fit_seconds": result["fit_seconds"], "epochs": result["epochs"],
        "windows": counts, "cuts_us": cuts, "scaler": scaler,
        "rmse": {"model": float(err["model"]), "zero": float(err["zero"]), "rows": int(err["n"])}}))


if __name__ == "__main__":
    main()
