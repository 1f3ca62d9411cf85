#!/usr/bin/python3
"""The tutorials' computations in float64 numpy, to check handnet's examples against.

Run with Debian's python3-numpy and python3-sklearn (not a pyenv python):

    /usr/bin/python3 scripts/tutorial-reference.py

Prints the numbers each example prints (iris-linreg, iris-twolayer as published and corrected,
neuron and the slides' weights, xor, linear); the tests assert the same values.
"""
import numpy as np
from sklearn.datasets import load_iris


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def ranges(*bounds):
    return [i for a, b in zip(bounds[::2], bounds[1::2]) for i in range(a, b)]


IRIS = load_iris()
X, LABELS = IRIS.data, IRIS.target
TRAIN = ranges(0, 40, 50, 90, 100, 140)
VALID = ranges(40, 45, 90, 95, 140, 145)
TEST = ranges(45, 50, 95, 100, 145, 150)


def iris_linreg():
    y = LABELS.reshape(-1, 1).astype(float)
    np.random.seed(37)
    w = np.random.random((4, 1))
    x, m = X[TRAIN], len(TRAIN)
    for i in range(100):
        w = w - 0.03 * x.T @ (x @ w - y[TRAIN]) / m
        if i % 10 == 0:
            print("iris-linreg iteration %3d  training %.4f  validation %.4f" % (
                i + 1, np.mean((x @ w - y[TRAIN]) ** 2), np.mean((X[VALID] @ w - y[VALID]) ** 2)))
    print("iris-linreg test MSE of rounded predictions %.1f" % np.mean((np.round(X[TEST] @ w) - y[TEST]) ** 2))


def iris_twolayer(as_published, noise=0.0, iterations=300):
    """Printed (4-decimal) training/validation losses per iteration; noise multiplies the
    weights by (1 + noise * N(0, 1)) after each step, to measure how chaotic the run is."""
    t = np.eye(3)[LABELS]
    np.random.seed(37)
    w1, w2 = np.random.randn(4, 10), np.random.randn(10, 3)
    jitter = np.random.RandomState(0)
    ce = lambda p, q: -np.sum(p * np.log(q + 1e-15)) / p.shape[0]
    printed = []
    for i in range(1, iterations + 1):
        valid = ce(t[VALID], softmax(sigmoid(X[VALID] @ w1) @ w2))
        a1 = sigmoid(X[TRAIN] @ w1)
        out = softmax(a1 @ w2)
        d2 = out - t[TRAIN]
        g = sigmoid(a1) * (1 - sigmoid(a1)) if as_published else a1 * (1 - a1)
        d1 = (d2 @ w2.T) * g
        printed.append("training %.4f  validation %.4f" % (ce(t[TRAIN], out), valid))
        w1, w2 = w1 - 0.01 * X[TRAIN].T @ d1, w2 - 0.01 * a1.T @ d2
        w1 = w1 * (1 + noise * jitter.randn(*w1.shape))
        w2 = w2 * (1 + noise * jitter.randn(*w2.shape))
    return printed


def iris_twolayer_report():
    for as_published in (True, False):
        name = "as published" if as_published else "correct"
        exact = iris_twolayer(as_published, iterations=1000)
        for i in (50, 100, 200, 300):
            print("iris-twolayer %s iteration %3d  %s" % (name, i, exact[i - 1]))
        # 1e-15: float64 rounding; 6e-8: float32 rounding (half an ulp at 1).
        for noise in (1e-15, 6e-8):
            jittered = iris_twolayer(as_published, noise=noise, iterations=1000)
            first = next(i + 1 for i in range(1000) if exact[i] != jittered[i])
            print("iris-twolayer %s: weights changed by %g a step first print different losses at iteration %d"
                  % (name, noise, first))


def neuron(x_all, step, epochs):
    rows = ranges(0, 40, 50, 90)
    x, y = x_all[rows], (LABELS[rows] == 1).astype(float)
    w, b = np.full(4, 0.1), 0.1
    for _ in range(epochs):
        p = sigmoid(x @ w + b)
        d = (p - y) * p * (1 - p)
        w, b = w - step * x.T @ d / len(rows), b - step * d.sum() / len(rows)
    return w, b


def tiny_network(x, y, epochs):
    w = [np.random.randn(2, 4), np.random.randn(4, 4), np.random.randn(4, 1)]
    for e in range(1, epochs + 1):
        total = 0
        for i in range(len(x)):
            a0 = x[i:i + 1]
            a1 = sigmoid(a0 @ w[0])
            a2 = sigmoid(a1 @ w[1])
            out = a2 @ w[2]
            total += 0.5 * np.sum((out - y[i]) ** 2)
            d3 = out - y[i]
            d2 = (d3 @ w[2].T) * a2 * (1 - a2)
            d1 = (d2 @ w[1].T) * a1 * (1 - a1)
            w = [w[0] - 0.1 * a0.T @ d1, w[1] - 0.1 * a1.T @ d2, w[2] - 0.1 * a2.T @ d3]
        if e % 1000 == 0:
            print("  epoch %5d  loss %r" % (e, total / len(x)))


def main():
    iris_linreg()
    iris_twolayer_report()
    w, b = neuron(X, 0.1, 999)
    print("neuron after 999 epochs: w", w, "b", b)
    uci = X.copy()
    uci[[34, 37]] = [4.9, 3.1, 1.5, 0.1]
    w, b = neuron(uci, 0.1 * 80 / 100, 100)
    print("neuron, UCI rows, step / 100 rows, 100 epochs: w", w, "b", b)
    print("xor (seed 1, lr 0.1)")
    np.random.seed(1)
    xor = [(0.1 * i, 0.1 * i, 0) for i in range(11)] + [(0.1 * i, 1 - 0.1 * i, 1) for i in range(11) if i != 5]
    order = sorted(range(len(xor)), key=lambda k: (round(xor[k][0], 9), xor[k][2]))
    pts = np.array([xor[k] for k in order])
    tiny_network(pts[:, :2], pts[:, 2:], 5000)
    print("linear (seed 1, lr 0.1)")
    np.random.seed(1)
    p = np.random.uniform(0, 1, (100, 2))
    tiny_network(p, (p[:, 0] <= p[:, 1]).astype(float).reshape(-1, 1), 3000)


if __name__ == "__main__":
    main()
