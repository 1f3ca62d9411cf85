#!/usr/bin/python3
"""One MNIST epoch of handnet's two presets in hand-written float32 numpy, the peer for `handnet train`.

The math is handnet's (Dense, Head, Mlp, Trainer): forward, the loss of every batch, backward
and the SGD step, with each batch's rows gathered from the training set; only training is
timed. Shapes: m rows a batch, x: (m, 784), W1: (784, 100), W2: (100, 10), t, y: (m, 10).

    /usr/bin/python3 bench/numpy_train.py [--threads 2] [--preset tutorial,modern] [--quick] [--json FILE]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

common.set_blas_threads(common.threads_argument(sys.argv))
import numpy as np  # noqa: E402  (after the thread count is in the environment)

FLOAT32_TINY = np.finfo(np.float32).tiny  # handnet's log clamp: a probability of 0 costs 87.3 nats


def sigmoid(z):
    """1 / (1 + e^-z); e^-z overflows to inf for z < -88, which gives the right 0."""
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


def softmax(z):
    """e^z / rowsum(e^z), shifted by the row max."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def tutorial_head(z):
    """y = s / rowsum(s), s = sigmoid(z), computed as handnet computes it, softmax(log s): in float32
    the plain quotient turns to 0/0 = NaN once every s of a row underflows, within a few epochs here."""
    return softmax(-np.logaddexp(np.float32(0), -z))


def tutorial_loss_and_update(y, t):
    """L = (1/2m) sum (y - t)^2;  dZ = (y - t)/m * y (1 - y), the tutorial's update (Head.TUTORIAL)."""
    m = len(y)
    return ((y - t) ** 2).sum() / (2 * m), (y - t) / m * y * (1 - y)


def cross_entropy_loss_and_gradient(p, t):
    """L = -(1/m) sum t log p;  dZ = (p - t)/m (Head.CE)."""
    m = len(p)
    return -(t * np.log(np.maximum(p, FLOAT32_TINY))).sum() / m, (p - t) / m


HEADS = {"tutorial": (tutorial_head, tutorial_loss_and_update), "ce": (softmax, cross_entropy_loss_and_gradient)}


class Network:
    """784-100-10, sigmoid hidden layer, the preset's head; float32 parameters updated in place."""

    def __init__(self, preset, rng):
        self.preset = preset
        self.output, self.loss_and_update = HEADS[preset.head]
        sizes = [(784, common.HIDDEN), (common.HIDDEN, 10)]
        self.w = [self.weights(rng, fan_in, fan_out) for fan_in, fan_out in sizes]
        self.b = [np.full(fan_out, preset.bias, dtype=np.float32) for _, fan_out in sizes]

    def weights(self, rng, fan_in, fan_out):
        """(fan_in, fan_out): N(0, 1) or Glorot uniform, by the preset."""
        if self.preset.init == "normal":
            return rng.standard_normal((fan_in, fan_out), dtype=np.float32)
        r = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-r, r, (fan_in, fan_out)).astype(np.float32)

    def forward(self, x):
        """x: (m, 784) -> a1 = sigmoid(x W1 + b1): (m, 100), y = head(a1 W2 + b2): (m, 10)."""
        a1 = sigmoid(x @ self.w[0] + self.b[0])
        return a1, self.output(a1 @ self.w[1] + self.b[1])

    def step(self, x, t):
        """Forward, loss, backward and SGD on one batch; returns the loss."""
        lr = self.preset.lr
        a1, y = self.forward(x)
        loss, dz2 = self.loss_and_update(y, t)    # dZ2: (m, 10)
        dz1 = (dz2 @ self.w[1].T) * a1 * (1 - a1)  # dZ1 = dZ2 W2ᵀ * a1 (1 - a1): (m, 100)
        self.w[1] -= lr * (a1.T @ dz2)             # dW2 = a1ᵀ dZ2: (100, 10)
        self.b[1] -= lr * dz2.sum(axis=0)          # db2: (10,)
        self.w[0] -= lr * (x.T @ dz1)              # dW1 = xᵀ dZ1: (784, 100)
        self.b[0] -= lr * dz1.sum(axis=0)          # db1: (100,)
        return loss

    def epoch(self, x, t, rng):
        """One epoch of the preset's batches (indices drawn here, rows gathered per batch); the mean loss."""
        p, rows = self.preset, len(x)
        if p.batching == "random":
            batches = rng.integers(rows, size=(p.steps, p.batch))
        else:
            order = rng.permutation(rows)
            batches = [order[i:i + p.batch] for i in range(0, rows, p.batch)]
        return sum(self.step(x[b], t[b]) for b in batches) / len(batches)

    def accuracy(self, x, labels):
        """The share of rows whose largest output is the label."""
        return float((self.forward(x)[1].argmax(axis=1) == labels).mean())


def make_run(seed):
    """make_run for common.train_presets: a fresh network per preset, seeded."""
    def run(preset, data, threads):
        x, t, x_test, labels_test = data
        rng = np.random.default_rng(seed)
        net = Network(preset, rng)
        return (lambda: net.epoch(x, t, rng)), (lambda: net.accuracy(x_test, labels_test))
    return run


def main():
    p = common.training_arguments(__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=common.DEFAULT_THREADS, help="OpenBLAS threads (default 2)")
    args = p.parse_args()
    common.train_presets("numpy", args, [args.threads], make_run(args.seed))


if __name__ == "__main__":
    main()
