#!/usr/bin/python3
"""Writes the fixtures NumpyRandomTest checks NumpyRandom against, into src/test/resources/numpy/.

Run with Debian's /usr/bin/python3 and its python3-numpy (1.24.2), not a pyenv python:

    /usr/bin/python3 scripts/numpy-fixtures.py

Each fixture is the numpy code that made it (the first, '#' line, with numpy's version) and
then its values, one a line, in C order: integers exactly, doubles with 17 significant digits,
which parse back to the same double. The normals go through the C library's log, so their
last bits are those of this machine's libm (glibc 2.36 on x86-64 when they were written).
"""
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/numpy"

# name -> code that leaves the values in v
FIXTURES = {
    "raw32-seed0": "np.random.seed(0); v = np.random.randint(2**32, size=20)",
    "random_sample-seed0": "np.random.seed(0); v = np.random.random_sample(1000)",
    "random-4x1-seed37": "np.random.seed(37); v = np.random.random((4, 1))",
    "random-seed4294967295": "np.random.seed(2**32 - 1); v = np.random.random(5)",
    "uniform-seed1": "np.random.seed(1); v = np.random.uniform(-0.5, 2.0, (100, 2))",
    "randn-seed21": "np.random.seed(21); v = np.random.randn(1000)",
    "randn-3-then-1-seed21": "np.random.seed(21); v = [*np.random.randn(3), *np.random.randn(1)]",
    "randn-random-randn-seed8": "np.random.seed(8); v = [*np.random.randn(3), *np.random.random(2), *np.random.randn(1)]",
    "normal-seed3": "np.random.seed(3); v = np.random.normal(2.5, 0.1, 51)",
    "randint-60000-seed21": "np.random.seed(21); v = np.random.randint(60000, size=1000)",
    "randint-7-seed5": "np.random.seed(5); v = np.random.randint(7, size=200)",
    "randint-1-then-random-seed5": "np.random.seed(5); v = [*np.random.randint(1, size=3), *np.random.random(3)]",
    "randint-low-high-seed9": "np.random.seed(9); v = np.random.randint(-5, 5, size=200)",
    "randint-int-range-seed9": "np.random.seed(9); v = np.random.randint(-2**31, 2**31 - 1, size=50)",
    # The examples' draws, in the tutorials' order: each must be reproduced exactly.
    "iris-twolayer-weights-seed37": "np.random.seed(37); v = [*np.random.randn(4, 10).flat, *np.random.randn(10, 3).flat]",
    "tiny-network-weights-seed1": "np.random.seed(1); v = [*np.random.randn(2, 4).flat, *np.random.randn(4, 4).flat, "
                                  "*np.random.randn(4, 1).flat]",
    "linear-points-then-weights-seed1": "np.random.seed(1); v = [*np.random.uniform(0, 1, (100, 2)).flat, "
                                        "*np.random.randn(2, 4).flat, *np.random.randn(4, 4).flat, *np.random.randn(4, 1).flat]",
    # The MNIST tutorial: W1 = randn(784, 100), W2 = randn(100, 10), then each epoch's
    # randint(60000, size=60000); here W2 and the first epoch's first and last 20 indices.
    "mnist-tutorial-w2-seed21": "np.random.seed(21); np.random.randn(784, 100); v = np.random.randn(100, 10)",
    "mnist-tutorial-batches-seed21": "np.random.seed(21); np.random.randn(784, 100); np.random.randn(100, 10); "
                                     "r = np.random.randint(60000, size=60000); v = [*r[:20], *r[-20:]]",
    # 78400 normals (a 784x100 layer) are too many to store: the first 10, the last 10, and the
    # uniform after them, which shows exactly how many 32-bit draws the normals took.
    "randn-78400-seed21": "np.random.seed(21); r = np.random.randn(784 * 100); "
                          "v = [*r[:10], *r[-10:], np.random.random()]",
}


def line(x):
    if isinstance(x, (float, np.floating)):
        return format(float(x), ".17g")
    return str(int(x))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, code in FIXTURES.items():
        scope = {"np": np}
        exec(code, scope)
        values = np.ravel(scope["v"]) if isinstance(scope["v"], np.ndarray) else scope["v"]
        text = f"# numpy {np.__version__}: {code}\n" + "".join(line(x) + "\n" for x in values)
        (OUT / f"{name}.txt").write_text(text)
        print(f"{name}.txt: {len(values)} values")


if __name__ == "__main__":
    main()
