"""Accuracy peer of the ticks pipeline: a PyTorch model of the same shape as seqml's forecaster
(stacked LSTM, last time step, dense ReLU, linear multi-horizon output), trained on exactly the
windows seqml trained on (cut from its steps table and written out by the bench; split train, all
targets known), scaled with seqml's own scaler (the model's
metadata.json), with the pipeline's epochs, minibatch, Adam learning rate, L2 on weights, element-wise
gradient clipping and keep-best on the validation loss. Prints one JSON line with the test RMSE in the
target's unit over every (test window, horizon step) whose actual is known, and seqml's RMSE
recomputed from its scores on the same pairs.
"""
import argparse
import json
import time

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import torch
from torch import nn


def load_windows(path):
    t = pq.read_table(path, columns=["key", "end_pos", "features", "target", "n_known", "split"])
    n = t.num_rows
    x = np.asarray(pc.list_flatten(t.column("features")).to_numpy(zero_copy_only=False), dtype=np.float32).reshape(n, -1)
    y = np.asarray(pc.list_flatten(t.column("target")).to_numpy(zero_copy_only=False), dtype=np.float32).reshape(n, -1)
    return (t.column("key").to_pylist(), t.column("end_pos").to_numpy(), x, y,
            t.column("n_known").to_numpy(), np.array(t.column("split").to_pylist()))


class Forecaster(nn.Module):
    def __init__(self, features, hidden, dense, horizon):
        super().__init__()
        self.lstms = nn.ModuleList()
        n = features
        for h in hidden:
            self.lstms.append(nn.LSTM(n, h, batch_first=True))
            n = h
        self.dense = nn.Linear(n, dense) if dense > 0 else None
        self.out = nn.Linear(dense if dense > 0 else n, horizon)
        for name, p in self.named_parameters():  # DL4J: XAVIER weights, zero biases, LSTM forget-gate bias 1
            if "weight" in name:
                nn.init.xavier_normal_(p)
            else:
                nn.init.zeros_(p)
        for lstm in self.lstms:
            h = lstm.hidden_size
            with torch.no_grad():
                lstm.bias_ih_l0[h:2 * h].fill_(1.0)

    def forward(self, x):
        for lstm in self.lstms:
            x, _ = lstm(x)
        x = x[:, -1]
        if self.dense is not None:
            x = torch.relu(self.dense(x))
        return self.out(x)


def main():
    p = argparse.ArgumentParser()
    for a in ["--windows", "--scores", "--metadata", "--hidden"]:
        p.add_argument(a, required=True)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.003)
    p.add_argument("--l2", type=float, default=1e-5)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--dense", type=int, default=32)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--keep-best", default="true")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    meta = json.load(open(a.metadata))
    sc = meta["scaler"]
    mean, std = np.array(sc["mean"], dtype=np.float32), np.array(sc["std"], dtype=np.float32)
    tmean, tstd = sc["target_mean"], sc["target_std"]
    keys, end_pos, x, y, n_known, split = load_windows(a.windows)
    f = len(mean)
    w = x.shape[1] // f
    horizon = y.shape[1]
    xs = ((x.reshape(-1, w, f) - mean) / std).astype(np.float32)  # time-major in the Parquet: t*F + f
    ys = ((y - tmean) / tstd).astype(np.float32)
    complete = n_known == horizon
    tr = np.where((split == "train") & complete)[0]
    va = np.where((split == "validation") & complete)[0]
    te = np.where(split == "test")[0]

    net = Forecaster(f, [int(h) for h in a.hidden.split(",")], a.dense, horizon)
    decay = [q for n_, q in net.named_parameters() if "weight" in n_]
    other = [q for n_, q in net.named_parameters() if "weight" not in n_]
    opt = torch.optim.Adam([{"params": decay, "weight_decay": a.l2}, {"params": other, "weight_decay": 0.0}], lr=a.lr)
    loss_fn = nn.MSELoss()

    def mse(idx):
        with torch.no_grad():
            out = net(torch.from_numpy(xs[idx]))
            return float(loss_fn(out, torch.from_numpy(ys[idx])))

    best, best_state, history = float("inf"), None, []
    t0 = time.time()
    for epoch in range(a.epochs):
        order = rng.permutation(tr)
        net.train()
        for i in range(0, len(order), a.batch):
            b = order[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(torch.from_numpy(xs[b])), torch.from_numpy(ys[b]))
            loss.backward()
            if a.clip > 0:
                nn.utils.clip_grad_value_(net.parameters(), a.clip)
            opt.step()
        net.eval()
        v = mse(va)
        history.append(v)
        if v < best:
            best, best_state = v, {k: t.clone() for k, t in net.state_dict().items()}
    if a.keep_best == "true" and best_state is not None:
        net.load_state_dict(best_state)
    with torch.no_grad():
        pred = net(torch.from_numpy(xs[te])).numpy() * tstd + tmean
    actual = y[te]
    known = ~np.isnan(actual)
    torch_rmse = float(np.sqrt(np.mean((pred[known] - actual[known]) ** 2)))

    s = pq.read_table(a.scores)
    names = s.column_names
    key_col = "key" if "key" in names else "symbol"
    s = s.filter(pc.and_(pc.equal(s.column("split"), "test"), pc.is_valid(s.column("actual"))))
    d = s.column("prediction").to_numpy() - s.column("actual").to_numpy()
    seqml_rmse = float(np.sqrt(np.mean(d ** 2)))
    print(json.dumps({"torch_test_rmse": torch_rmse, "seqml_test_rmse_from_scores": seqml_rmse,
                      "test_pairs_torch": int(known.sum()), "test_pairs_seqml": int(s.num_rows),
                      "train_windows": int(len(tr)), "validation_windows": int(len(va)),
                      "validation_mse_by_epoch": history, "train_seconds": time.time() - t0,
                      "torch": torch.__version__, "key_column": key_col}))


if __name__ == "__main__":
    main()
