"""PyTorch side of the seqml training-step benchmark: the same network shape as the DL4J side,
trained with Adam on MSE over random data on the CPU. Prints one JSON line:
{"samples_per_s": ..., "step_ms": ..., "torch": version, "threads": n}.
With --serve it warms up once, then reads step counts from stdin, one per line, and answers each with
such a line after running that many steps (the bench alternates with the DL4J side in one process, so
both sides of a repetition run back to back under the same load); it ends at end of input.
Models (mirroring org.seqml.bench):
  lstm               LSTM(F->h) x layers, last time step, Linear(h->H)           (ModelFactory.forecaster, lstm)
  transformer        Linear(F->d) + sinusoidal positions, post-norm TransformerEncoderLayer(d, heads, ff)
                     x blocks (dropout 0), last time step, Linear(d->H)          (ModelFactory.forecaster, transformer)
  gru                GRU(F->h) x layers, last time step, Linear(h->H)            (ModelFactory.forecaster, gru)
  cnn                2 x [Conv1d(k=5, same), LeakyReLU, MaxPool1d(2)], flatten, Linear -> H  (ModelFactory.forecaster, cnn)
"""
import argparse
import json
import math
import sys
import time

import torch
from torch import nn


class Lstm(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.rnn = nn.LSTM(a.features, a.hidden, a.layers, batch_first=True)
        self.out = nn.Linear(a.hidden, a.horizon)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y[:, -1])


class Transformer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.proj = nn.Linear(a.features, a.d)
        pos = torch.arange(a.length).unsqueeze(1)
        div = torch.exp(torch.arange(0, a.d, 2) * (-math.log(10000.0) / a.d))
        pe = torch.zeros(a.length, a.d)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)
        layer = nn.TransformerEncoderLayer(a.d, a.heads, a.ff, dropout=0.0, batch_first=True, norm_first=False)
        self.enc = nn.TransformerEncoder(layer, a.blocks, enable_nested_tensor=False)
        self.out = nn.Linear(a.d, a.horizon)

    def forward(self, x):
        return self.out(self.enc(self.proj(x) + self.pe)[:, -1])


class Gru(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.rnn = nn.GRU(a.features, a.hidden, a.layers, batch_first=True)
        self.out = nn.Linear(a.hidden, a.horizon)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y[:, -1])


class Cnn(nn.Module):
    def __init__(self, a):
        super().__init__()
        layers, n, length = [], a.features, a.length
        for _ in range(2):
            layers += [nn.Conv1d(n, a.filters, a.kernel, padding=a.kernel // 2), nn.LeakyReLU(0.01), nn.MaxPool1d(2)]
            n, length = a.filters, length // 2
        self.conv = nn.Sequential(*layers)
        self.out = nn.Linear(n * length, a.horizon)

    def forward(self, x):
        return self.out(self.conv(x.transpose(1, 2)).flatten(1))


MODELS = {"lstm": Lstm, "transformer": Transformer, "gru": Gru, "cnn": Cnn}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="lstm", choices=sorted(MODELS))
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--length", type=int, default=50)
    p.add_argument("--features", type=int, default=8)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--d", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ff", type=int, default=128)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--horizon", type=int, default=3)
    p.add_argument("--filters", type=int, default=64)
    p.add_argument("--kernel", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    net = MODELS[a.model](a)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    batches = [(torch.randn(a.batch, a.length, a.features), torch.randn(a.batch, a.horizon)) for _ in range(4)]

    def step(i):
        x, y = batches[i % len(batches)]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    def timed(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(steps):
            step(i)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(json.dumps({"samples_per_s": a.batch * steps / seconds, "step_ms": 1000 * seconds / steps,
                          "samples_per_cpu_s": a.batch * steps / cpu,
                          "torch": torch.__version__, "threads": torch.get_num_threads(),
                          "params": sum(p.numel() for p in net.parameters())}), flush=True)

    for i in range(a.warmup):
        step(i)
    if not a.serve:
        timed(a.steps)
        return
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            timed(int(line))


if __name__ == "__main__":
    main()
