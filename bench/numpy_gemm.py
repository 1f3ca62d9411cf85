#!/usr/bin/python3
"""float32 GEMM through numpy's BLAS, the peer for handnet's CPU GEMM: C = op(A) op(B).

op(A): (m, k), op(B): (k, n), C: (m, n). A transposed operand is stored as its transpose and
passed as a .T view, which numpy hands to sgemm as a transpose flag, as a BLAS user writes it.
GFLOP/s = 2 m k n / seconds, for the fastest call after a warm-up, in a preallocated C.

    /usr/bin/python3 bench/numpy_gemm.py [--threads 2] [--quick] [--json FILE]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

common.set_blas_threads(common.threads_argument(sys.argv))
import numpy as np  # noqa: E402  (after the thread count is in the environment)

# (m, k, n, trans_a, trans_b): the products handnet's MNIST presets run, and the usual square ones.
SHAPES = [
    (1000, 784, 100, False, False),  # tutorial forward, x W1: batch 1000
    (784, 1000, 100, True, False),   # tutorial dW1 = xᵀ dZ1
    (1000, 100, 784, False, True),   # dZ1 W1ᵀ, a backward through W1
    (1024, 1024, 1024, False, False),
    (32, 784, 100, False, False),    # modern forward, batch 32
    (784, 32, 100, True, False),     # modern dW1
    (1000, 100, 10, False, False),   # tutorial output layer
]
LARGE_SHAPES = [(2048, 2048, 2048, False, False)]  # left out by --quick
SWEEP = [64, 128, 256, 512, 1024, 2048]  # square sizes, rows marked "sweep"
QUICK_SWEEP_MAX = 512  # --quick: the largest sweep size
MIN_REPS = 3       # timed calls at the least, after one warm-up call
BUDGET_SECONDS = 0.3  # time box per shape once MIN_REPS are done


def operands(m, k, n, trans_a, trans_b, rng):
    """op(A), op(B) as views of C-contiguous float32 arrays, and C: (m, n) to write into."""
    a = rng.standard_normal((k, m) if trans_a else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if trans_b else (k, n), dtype=np.float32)
    return (a.T if trans_a else a), (b.T if trans_b else b), np.empty((m, n), dtype=np.float32)


def measure(m, k, n, trans_a, trans_b, sweep, threads, budget, rng):
    """One "gemm" row: the best time of np.matmul(op(A), op(B), out=C) and its GFLOP/s."""
    a, b, c = operands(m, k, n, trans_a, trans_b, rng)
    np.matmul(a, b, out=c)  # warm-up: BLAS threads started, pages touched
    seconds = common.best_seconds(lambda: np.matmul(a, b, out=c), MIN_REPS, budget)
    return {"device": "cpu", "m": m, "k": k, "n": n, "trans_a": trans_a, "trans_b": trans_b,
            "sweep": sweep, "threads": threads, "seconds": seconds, "gflops": 2.0 * m * k * n / seconds / 1e9}


def shapes(quick):
    """(m, k, n, trans_a, trans_b, sweep) to measure, in order."""
    named = [s + (False,) for s in SHAPES + ([] if quick else LARGE_SHAPES)]
    sizes = [s for s in SWEEP if not (quick and s > QUICK_SWEEP_MAX)]
    return named + [(s, s, s, False, False, True) for s in sizes]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=common.DEFAULT_THREADS, help="OpenBLAS threads (default 2)")
    p.add_argument("--quick", action="store_true", help="drop the 2048 cube and sweep sizes above 512")
    p.add_argument("--seconds", type=float, default=BUDGET_SECONDS, help="time box per shape (default %(default)s)")
    p.add_argument("--json", metavar="FILE", help="write the results as JSON")
    args = p.parse_args()

    rng = np.random.default_rng(1)
    rows = [measure(*s, args.threads, args.seconds, rng) for s in shapes(args.quick)]
    print(common.format_table(
        ["m", "k", "n", "op(A)", "op(B)", "sweep", "threads", "ms", "GFLOP/s"],
        [[r["m"], r["k"], r["n"], "Aᵀ" if r["trans_a"] else "A", "Bᵀ" if r["trans_b"] else "B",
          "sweep" if r["sweep"] else "", r["threads"], "%.3f" % (r["seconds"] * 1e3), "%.1f" % r["gflops"]]
         for r in rows]))
    if args.json:
        common.write_results(args.json, "numpy", gemm=rows)


if __name__ == "__main__":
    main()
