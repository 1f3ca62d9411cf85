"""What the peer benchmarks share: the BLAS thread count, MNIST, timing, the JSON results and a table.

numpy is imported inside the functions that use it, so a script can put its thread count in
the environment (set_blas_threads) before OpenBLAS is loaded.
"""
import argparse
import datetime
import gzip
import json
import os
import platform
import sys
import time
from importlib import metadata
from typing import NamedTuple

DEFAULT_THREADS = 2  # the development machine's cores; handnet's CPU backend uses them all
MNIST_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist")
IMAGES_MAGIC, LABELS_MAGIC = 0x803, 0x801  # IDX: unsigned bytes, 3 and 1 dimensions
CLASSES = 10


def set_blas_threads(threads):
    """Puts the thread count where OpenBLAS and OpenMP read it at load time; numpy must not be loaded yet."""
    if "numpy" in sys.modules:
        raise RuntimeError("set_blas_threads must run before numpy is imported")
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ[name] = str(threads)


def threads_argument(argv, default=DEFAULT_THREADS):
    """The value of --threads N (or --threads=N) in argv, before argparse runs, or default."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if arg.startswith("--threads="):
            return int(arg.split("=", 1)[1])
    return default


# ---- MNIST ------------------------------------------------------------------------------------

def read_idx(path, magic):
    """An IDX file (raw or .gz) as a uint8 array of its dimensions."""
    import numpy as np
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    header = np.frombuffer(data, dtype=">i4", count=1)[0]
    if header != magic:
        raise ValueError("%s: magic 0x%x, expected 0x%x" % (path, header, magic))
    ndim = magic & 0xff
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">i4", count=ndim, offset=4))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(directory=MNIST_DIR):
    """(x_train, t_train, x_test, labels_test), as handnet's Mnist loads them.

    x: (rows, 784) float32 pixels / 255;  t: (rows, 10) float32 one-hot;  labels: (rows,) 0-9.
    """
    import numpy as np

    def load(images, labels):
        x = read_idx(os.path.join(directory, images + ".gz"), IMAGES_MAGIC)
        y = read_idx(os.path.join(directory, labels + ".gz"), LABELS_MAGIC)
        return x.reshape(len(x), -1).astype(np.float32) / np.float32(255), y.astype(np.int64)

    x_train, y_train = load("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    x_test, y_test = load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    return x_train, np.eye(CLASSES, dtype=np.float32)[y_train], x_test, y_test


# ---- the presets (src/main/java/dev/handnet/nn/Preset.java) ------------------------------------

class Preset(NamedTuple):
    """One of handnet's MNIST training configurations, 784-HIDDEN-10 with a sigmoid hidden layer."""
    name: str
    head: str      # "tutorial": y = s / rowsum(s), s = sigmoid(z), MSE;  "ce": softmax + cross-entropy
    init: str      # "normal": N(0, 1);  "glorot": U(-r, r), r = sqrt(6 / (in + out))
    bias: float    # every bias starts at this
    lr: float
    batch: int
    steps: int     # batches per epoch
    batching: str  # "random": steps batches drawn with replacement;  "shuffle": a permutation cut in batches


HIDDEN = 100
PRESETS = {
    "tutorial": Preset("tutorial", "tutorial", "normal", 0.1, 2.0, 1000, 60, "random"),
    "modern": Preset("modern", "ce", "glorot", 0.0, 1.0, 32, 60000 // 32, "shuffle"),
}


def training_arguments(description):
    """The options numpy_train and torch_train share; each adds its --threads."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--preset", default="tutorial,modern", help="comma-separated presets (default %(default)s)")
    p.add_argument("--warmup", type=int, default=1, help="untimed epochs first (default %(default)s)")
    p.add_argument("--epochs", type=int, default=3, help="timed epochs; the best is reported (default %(default)s)")
    p.add_argument("--quick", action="store_true", help="one timed epoch")
    p.add_argument("--seed", type=int, default=1, help="weights and batches (default %(default)s)")
    p.add_argument("--data", default=MNIST_DIR, help="the MNIST folder (default data/mnist)")
    p.add_argument("--json", metavar="FILE", help="write the results as JSON")
    return p


def train_presets(tool, args, thread_counts, make_run, **extra):
    """Times every preset at every thread count, prints the table and writes --json (rows get extra's keys).

    make_run(preset, data, threads) -> (epoch, accuracy): epoch() trains one epoch on
    data = (x_train, t_train, x_test, labels_test), accuracy() is the test accuracy in [0, 1].
    """
    data = load_mnist(args.data)
    epochs = 1 if args.quick else args.epochs
    rows = []
    for threads in thread_counts:
        for name in args.preset.split(","):
            preset = PRESETS[name]
            epoch, accuracy = make_run(preset, data, threads)
            for _ in range(args.warmup):
                epoch()
            seconds = best_seconds(epoch, epochs, 0)
            rows.append(dict({"device": "cpu", "preset": preset.name, "batch": preset.batch, "steps": preset.steps,
                              "rows": preset.batch * preset.steps, "threads": threads, "seconds": seconds,
                              "epochs_trained": args.warmup + epochs, "test_accuracy": accuracy()}, **extra))
    print(format_table(["preset", "batch", "steps", "threads", "s/epoch", "epochs", "test accuracy"],
                       [[r["preset"], r["batch"], r["steps"], r["threads"], "%.3f" % r["seconds"],
                         r["epochs_trained"], "%.2f%%" % (100 * r["test_accuracy"])] for r in rows]))
    if args.json:
        write_results(args.json, tool, epochs=rows)


# ---- timing -----------------------------------------------------------------------------------

def best_seconds(run, min_reps, budget_seconds):
    """The fastest of at least min_reps calls of run(), repeating while the time box lasts."""
    best, spent, reps = float("inf"), 0.0, 0
    while reps < min_reps or spent < budget_seconds:
        start = time.perf_counter()
        run()
        seconds = time.perf_counter() - start
        best, spent, reps = min(best, seconds), spent + seconds, reps + 1
    return best


# ---- results ----------------------------------------------------------------------------------

def machine():
    """{"cpu": model name, "cores": logical CPUs this process may use}."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0))}


def loaded_openblas():
    """The OpenBLAS library this process has loaded (ctypes), or None; also the names of every BLAS loaded."""
    import ctypes
    with open("/proc/self/maps") as f:
        libraries = sorted({line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]})
    for path in libraries:
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_config.restype = library.openblas_get_corename.restype = ctypes.c_char_p
            return library, libraries
        except (OSError, AttributeError):
            continue
    return None, libraries


def blas_versions():
    """{"blas": "openblas 0.3.21", "blas_core": the kernels it runs (OPENBLAS_CORETYPE overrides them)},
    or {"blas": the library's file name}: Debian's reference libblas3 is some 30 times slower."""
    openblas, libraries = loaded_openblas()
    if openblas is None:
        return {"blas": ", ".join(os.path.basename(p) for p in libraries) or "unknown"}
    words = openblas.openblas_get_config().decode().split()
    return {"blas": " ".join(words[:2]).lower(), "blas_core": openblas.openblas_get_corename().decode()}


def set_openblas_threads(threads):
    """Sets the running OpenBLAS's thread count (torch.set_num_threads does not reach it)."""
    openblas, _ = loaded_openblas()
    if openblas is not None:
        openblas.openblas_set_num_threads(threads)


def versions():
    """Python, numpy, the BLAS behind it, and torch when installed (read from its metadata, not imported)."""
    import numpy as np
    found = dict({"python": platform.python_version(), "numpy": np.__version__}, **blas_versions())
    try:
        found["torch"] = metadata.version("torch")
    except metadata.PackageNotFoundError:
        pass
    return found


def write_results(path, tool, gemm=(), epochs=()):
    """The shared results file: tool, date (UTC), machine, versions, then the gemm and epoch rows."""
    doc = {
        "tool": tool,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "versions": versions(),
        "gemm": list(gemm),
        "epochs": list(epochs),
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def format_table(headers, rows):
    """Rows of cells as aligned text under their headers; numbers right-aligned."""
    cells = [[str(c) for c in row] for row in [headers] + list(rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        lines.append("  ".join(c.rjust(w) if c[:1].isdigit() else c.ljust(w) for c, w in zip(row, widths)).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
