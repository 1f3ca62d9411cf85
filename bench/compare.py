#!/usr/bin/python3
"""handnet against numpy, PyTorch and CLBlast: alternating rounds, each tool's best, one table of ratios.

Each round runs `./handnet bench` and its peers, each writing its JSON under results/compare/:
for the CPU backend numpy_gemm, numpy_train and torch_train (1 and 2 threads); for an OpenCL
device (`--device opencl` or `opencl:P:D`) clblast_gemm on that device and numpy_train. The
machine is shared and noisy, so for every entry (a GEMM shape, an epoch preset at a thread
count) each tool keeps its best over the rounds: the highest GFLOP/s, the fewest seconds.
Options this script does not know go to `./handnet bench` (--device cpu unless given).

    bench/compare [--rounds 3] [--quick] [--handnet-json FILE ...] [handnet bench options, e.g. --device opencl]
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
HANDNET = os.path.join(ROOT, "handnet")
CLBLAST = os.path.join(BENCH, "clblast_gemm")

# The peer of handnet's GEMM on each backend: numpy's BLAS on the CPU, CLBlast on an OpenCL device.
GEMM_PEERS = {"cpu": "numpy", "opencl": "clblast"}
# handnet GFLOP/s / peer GFLOP/s that handnet's GEMM should reach, per backend and (m, k, n, trans_a, trans_b).
GEMM_TARGETS = {
    "cpu": {
        (1000, 784, 100, False, False): 0.7,  # the tutorial's batch-1000 products and the 1024 cube
        (784, 1000, 100, True, False): 0.7,
        (1000, 100, 784, False, True): 0.7,
        (1024, 1024, 1024, False, False): 0.7,
        (32, 784, 100, False, False): 0.5,    # the modern preset's batch-32 products: overhead-bound
        (784, 32, 100, True, False): 0.5,
    },
    "opencl": {
        (1000, 784, 100, False, False): 1.0,  # against CLBlast on the same device
        (784, 1000, 100, True, False): 1.0,
        (1000, 100, 784, False, True): 1.0,
        (1024, 1024, 1024, False, False): 1.0,
    },
}
# handnet seconds / peer seconds per (backend, preset, peer): on the CPU tutorial against numpy and
# modern against torch's best; on OpenCL the tutorial within 12 times numpy's CPU epoch.
EPOCH_TARGETS = {("cpu", "tutorial", "numpy"): 1.0, ("cpu", "modern", "torch best"): 1.0,
                 ("opencl", "tutorial", "numpy"): 12}


def backend(device):
    """The kind of a results row's device ("cpu", "opencl:0:0"): cpu or opencl."""
    return "cpu" if device == "cpu" else "opencl"


def gemm_key(row):
    return row["device"], row["m"], row["k"], row["n"], row["trans_a"], row["trans_b"], row.get("sweep", False), row.get("threads")


def epoch_key(row):
    return row["device"], row["preset"], row.get("threads")


def best_of(docs):
    """One tool's results files merged: per entry the row with the most GFLOP/s or the fewest seconds."""
    gemm, epochs = {}, {}
    for doc in docs:
        for row in doc.get("gemm", []):
            if gemm_key(row) not in gemm or row["gflops"] > gemm[gemm_key(row)]["gflops"]:
                gemm[gemm_key(row)] = row
        for row in doc.get("epochs", []):
            if epoch_key(row) not in epochs or row["seconds"] < epochs[epoch_key(row)]["seconds"]:
                epochs[epoch_key(row)] = row
    merged = dict(docs[-1], rounds=len(docs), gemm=list(gemm.values()), epochs=list(epochs.values()))
    merged["versions"] = {k: v for doc in docs for k, v in doc.get("versions", {}).items()}
    return merged


def shape_label(row):
    ops = ("Aᵀ" if row["trans_a"] else "A") + " " + ("Bᵀ" if row["trans_b"] else "B")
    sweep = " (sweep)" if row.get("sweep") else ""
    device = "" if row["device"] == "cpu" else " " + row["device"]
    return "GEMM %dx%dx%d %s%s%s" % (row["m"], row["k"], row["n"], ops, sweep, device)


def ratio(what, value, peer, peer_value, target, higher_is_better):
    """One row of the table: handnet / peer and, with a target, OK or MISS."""
    r = None if peer_value is None else value / peer_value
    verdict = "" if target is None or r is None else \
        ("OK" if (r >= target if higher_is_better else r <= target) else "MISS")
    return {"what": what, "handnet": value, "peer": peer, "peer_value": peer_value, "ratio": r,
            "target": None if target is None else (">= " if higher_is_better else "<= ") + str(target),
            "verdict": verdict, "unit": "GFLOP/s" if higher_is_better else "s"}


def gemm_ratios(handnet, peers):
    """handnet GFLOP/s / peer GFLOP/s per handnet GEMM row, peers being {tool: results}: the peer is
    the backend's (GEMM_PEERS), its row the same shape, sweep or not. Without CLBlast results an
    OpenCL row is compared with numpy, for reference only."""
    def shape(row):
        return row["m"], row["k"], row["n"], row["trans_a"], row["trans_b"]

    def peer_row(tool, h):
        same = [p for p in peers.get(tool, {}).get("gemm", []) if shape(p) == shape(h)]
        exact = [p for p in same if p.get("sweep", False) == h.get("sweep", False)]
        return (exact or same or [None])[0]

    rows = []
    for h in handnet.get("gemm", []):
        kind = backend(h["device"])
        tool = GEMM_PEERS[kind] if GEMM_PEERS[kind] in peers else "numpy"
        p = peer_row(tool, h)
        target = None if h.get("sweep") or tool != GEMM_PEERS[kind] else GEMM_TARGETS[kind].get(shape(h))
        rows.append(ratio(shape_label(h), h["gflops"], tool, p and p["gflops"], target, True))
    return rows


def epoch_ratios(handnet, numpy, torch=None):
    """handnet seconds / peer seconds per preset: numpy, and unless torch is None (an OpenCL-only
    run has none) torch at 1 and at 2 threads and torch's best. The ratio is taken per training
    step, so a short epoch (handnet's --quick trains on 5000 rows) still compares like with like;
    with equal step counts it is the ratio of the epochs."""
    def fastest(doc, preset, threads=None):
        rows = [r for r in doc.get("epochs", []) if r["preset"] == preset and threads in (None, r.get("threads"))]
        return min(rows, key=lambda r: r["seconds"] / r["steps"], default=None)

    rows = []
    for device, preset in dict.fromkeys((r["device"], r["preset"]) for r in handnet.get("epochs", [])):
        h = min((r for r in handnet["epochs"] if (r["device"], r["preset"]) == (device, preset)),
                key=lambda r: r["seconds"] / r["steps"])
        label = "epoch %s%s vs " % (preset, "" if device == "cpu" else " " + device)
        against = [("numpy", fastest(numpy, preset))]
        if torch is not None:
            against += [("torch 1 thread", fastest(torch, preset, 1)), ("torch 2 threads", fastest(torch, preset, 2)),
                        ("torch best", fastest(torch, preset))]
        for peer, p in against:
            target = EPOCH_TARGETS.get((backend(device), preset, peer))
            row = ratio(label + peer, h["seconds"], peer, p and p["seconds"], target, False)
            if p is not None:
                row["ratio"] = (h["seconds"] / h["steps"]) / (p["seconds"] / p["steps"])
                row["verdict"] = "" if target is None else ("OK" if row["ratio"] <= target else "MISS")
                if p["steps"] != h["steps"]:
                    row["what"] += " (per step: %d against %d steps)" % (h["steps"], p["steps"])
            rows.append(row)
    return rows


def markdown(rows, note):
    """The ratios as a markdown table under a one-line note."""
    def value(v, unit):
        return "-" if v is None else ("%.1f %s" % (v, unit) if unit == "GFLOP/s" else "%.3f %s" % (v, unit))

    lines = [note, "", "| comparison | handnet | peer | handnet / peer | target | verdict |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s | %s | %s %s | %s | %s | %s |" % (
            r["what"], value(r["handnet"], r["unit"]), r["peer"], value(r["peer_value"], r["unit"]),
            "-" if r["ratio"] is None else "%.2f" % r["ratio"], r["target"] or "", r["verdict"]))
    return "\n".join(lines) + "\n"


def describe(tools):
    """One line: the date, the machine, the peers' versions (CLBlast's device and driver) and how many rounds."""
    numpy, torch, clblast = tools.get("numpy", {}), tools.get("torch"), tools.get("clblast")
    v = dict(numpy.get("versions", {}), **(torch or {}).get("versions", {}))
    m = numpy.get("machine", {})
    blas = v.get("blas", "?") + (" (%s kernels)" % v["blas_core"] if "blas_core" in v else "")
    peers = ["numpy %s with %s" % (v.get("numpy", "?"), blas)]
    if torch is not None:
        peers.append("PyTorch %s (CPU)" % v.get("torch", "?"))
    if clblast is not None:
        device = (clblast.get("devices") or [{}])[0]
        peers.append("CLBlast %s on %s, driver %s" % (clblast.get("versions", {}).get("clblast", "?"),
                                                      device.get("name", "?"), device.get("driver", "?")))
    return ("handnet / peer, best of %s rounds, %s: %s, %s cores; %s; "
            "GEMM: >= 1 means handnet is faster, epochs: <= 1 means handnet is faster." % (
                tools["handnet"].get("rounds", "?"), tools["handnet"].get("date", "?")[:10], m.get("cpu", "?"),
                m.get("cores", "?"), ", ".join(peers)))


def handnet_devices(extra):
    """The devices `./handnet bench` measures: its --device values (repeatable, comma-separated), else cpu."""
    devices = []
    for i, a in enumerate(extra):
        if a == "--device" and i + 1 < len(extra):
            devices += extra[i + 1].split(",")
        elif a.startswith("--device="):
            devices += a.split("=", 1)[1].split(",")
    return devices or ["cpu"]


def is_opencl(device):
    """Whether a --device value names an OpenCL device: opencl or opencl:P:D."""
    return device == "opencl" or device.startswith("opencl:")


def peer_runs(devices):
    """(tool, results file name with %d for the round, argv) of each peer run in a round, for handnet's
    devices: for the CPU (or any device that is not OpenCL, such as auto) numpy's GEMM, numpy's and
    torch's epochs; for an OpenCL device CLBlast's GEMM on it and numpy's epochs."""
    python = sys.executable
    numpy_train = ("numpy", "numpy-train-%d.json", [python, os.path.join(BENCH, "numpy_train.py")])
    opencl = [d for d in devices if is_opencl(d)]
    if len(opencl) > 1:
        sys.exit("compare: one OpenCL device at a time, not " + ", ".join(opencl))
    runs = []
    if len(opencl) < len(devices):
        runs += [("numpy", "numpy-gemm-%d.json", [python, os.path.join(BENCH, "numpy_gemm.py")]), numpy_train,
                 ("torch", "torch-%d.json", [python, os.path.join(BENCH, "torch_train.py"), "--threads", "1,2"])]
    if opencl:
        runs.append(("clblast", "clblast-%d.json", [CLBLAST, "--device", opencl[0]]))
        if numpy_train not in runs:
            runs.append(numpy_train)
    return runs


def peer_commands(args, out, r, runs):
    """(tool, results file, argv) for the peers' runs of round r."""
    quick = ["--quick"] if args.quick else []
    return [(tool, os.path.join(out, name % r), argv + quick + ["--json", os.path.join(out, name % r)])
            for tool, name, argv in runs]


def handnet_command(args, extra, path):
    device = [] if any(a == "--device" or a.startswith("--device=") for a in extra) else ["--device", "cpu"]
    return [HANDNET, "bench", "--json", path] + device + (["--quick"] if args.quick else []) + extra


def peer_environment(args):
    """The environment for the peers: without OPENBLAS_CORETYPE, so OpenBLAS runs the CPU's own kernels
    (a forced older kernel set, such as Haswell's AVX2 on an AVX-512 CPU, would make a weaker peer)."""
    env = dict(os.environ)
    if not args.keep_openblas_coretype:
        env.pop("OPENBLAS_CORETYPE", None)
    return env


def earlier_rounds(out, runs):
    """{tool: [results file, ...]} of the rounds already in out: handnet-N.json and each peer run's files."""
    names = sorted(os.listdir(out))
    def matching(pattern):
        prefix = pattern.split("%d")[0]
        return [os.path.join(out, n) for n in names if n.startswith(prefix) and n[len(prefix):-5].isdigit() and n.endswith(".json")]
    patterns = [("handnet", "handnet-%d.json")] + [(tool, name) for tool, name, _ in runs]
    missing = [name.replace("%d", "N") for _, name in patterns if not matching(name)]
    if missing:
        sys.exit("compare: --reuse needs %s in %s" % (", ".join(missing), out))
    files = {}
    for tool, name in patterns:
        files.setdefault(tool, []).extend(matching(name))
    return files


def run_rounds(args, extra, out, runs):
    """Runs the rounds, alternating handnet and the peer runs; {tool: [results file, ...]}."""
    files = {"handnet": list(args.handnet_json or [])}
    files.update({tool: [] for tool, _, _ in runs})
    env = peer_environment(args)
    for r in range(1, args.rounds + 1):
        commands = peer_commands(args, out, r, runs)
        if not args.handnet_json:
            path = os.path.join(out, "handnet-%d.json" % r)
            commands.insert(0, ("handnet", path, handnet_command(args, extra, path)))
        for tool, path, argv in commands:
            print("compare: round %d/%d: %s" % (r, args.rounds, " ".join(argv)), file=sys.stderr, flush=True)
            if subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, env=env).returncode != 0:
                sys.exit("compare: failed: " + " ".join(argv))
            files[tool].append(path)
    return files


def plot(path, out, stamp, tools):
    """Draws handnet's GFLOP/s and its GEMM peers' (numpy, CLBlast) to path with `./handnet bench --from
    --peer --plot`, when handnet has them."""
    shown = subprocess.run([HANDNET, "bench", "--help"], cwd=ROOT, capture_output=True, text=True)
    if not all(option in shown.stdout + shown.stderr for option in ("--from", "--peer", "--plot")):
        print("compare: no plot: this ./handnet bench has no --from/--peer/--plot", file=sys.stderr)
        return
    paths = {}
    for tool in ["handnet"] + [t for t in GEMM_PEERS.values() if tools.get(t, {}).get("gemm")]:
        paths[tool] = os.path.join(out, "%s-best-%s.json" % (tool, stamp))
        with open(paths[tool], "w") as f:
            json.dump(tools[tool], f, indent=1)
    argv = [HANDNET, "bench", "--from", paths.pop("handnet")]
    for peer in paths.values():
        argv += ["--peer", peer]
    argv += ["--plot", path]
    if subprocess.run(argv, cwd=ROOT).returncode != 0:
        print("compare: the plot failed: " + " ".join(argv), file=sys.stderr)


def describe_blas(args, tools):
    """Says which kernels OpenBLAS ran for the peers, and when numpy's BLAS is not OpenBLAS (a weak peer)."""
    v = tools["numpy"].get("versions", {})
    if not v.get("blas", "").startswith("openblas"):
        print("compare: numpy uses %s, not OpenBLAS: sudo apt-get install -y libopenblas0-pthread" % v.get("blas"),
              file=sys.stderr)
    elif os.environ.get("OPENBLAS_CORETYPE"):
        print("compare: the peers ran OpenBLAS's %s kernels; OPENBLAS_CORETYPE=%s is in the environment and was %s" % (
            v.get("blas_core"), os.environ["OPENBLAS_CORETYPE"],
            "kept (--keep-openblas-coretype)" if args.keep_openblas_coretype else "left out"), file=sys.stderr)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds; each tool keeps its best (default 3)")
    p.add_argument("--quick", action="store_true", help="the tools' short runs (passed to ./handnet bench too)")
    p.add_argument("--handnet-json", metavar="FILE", action="append",
                   help="use this handnet results file instead of running ./handnet bench (repeatable)")
    p.add_argument("--keep-openblas-coretype", action="store_true",
                   help="run the peers with OPENBLAS_CORETYPE from the environment (left out by default)")
    p.add_argument("--reuse", action="store_true",
                   help="tabulate the results files of earlier rounds in --out again, running nothing")
    p.add_argument("--out", default=os.path.join(ROOT, "results", "compare"), help="results folder (default results/compare)")
    p.add_argument("--plot", help="the GEMM plot ./handnet bench draws (default docs/gemm-gflops.png,"
                                  " or docs/gemm-gflops-opencl.png when handnet runs on OpenCL only)")
    args, extra = p.parse_known_args(argv)
    if args.rounds < 1:
        p.error("--rounds must be 1 or more")
    os.makedirs(args.out, exist_ok=True)

    devices = handnet_devices(extra)
    runs = peer_runs(devices)
    files = earlier_rounds(args.out, runs) if args.reuse else run_rounds(args, extra, args.out, runs)
    tools = {}
    for tool, paths in files.items():
        docs = []
        for path in paths:
            with open(path) as f:
                docs.append(json.load(f))
        tools[tool] = best_of(docs)
    rows = gemm_ratios(tools["handnet"], tools) + epoch_ratios(tools["handnet"], tools["numpy"], tools.get("torch"))
    table = markdown(rows, describe(tools))

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    with open(os.path.join(args.out, "compare-%s.json" % stamp), "w") as f:
        json.dump({"date": stamp, "rounds": args.rounds, "tools": tools, "ratios": rows}, f, indent=1)
    with open(os.path.join(args.out, "compare-%s.md" % stamp), "w") as f:
        f.write(table)
    print(table)
    describe_blas(args, tools)
    opencl_only = all(is_opencl(d) for d in devices)
    plot(args.plot or os.path.join(ROOT, "docs", "gemm-gflops-opencl.png" if opencl_only else "gemm-gflops.png"),
         args.out, stamp, tools)
    print("compare: wrote %s and .md" % os.path.join(args.out, "compare-%s.json" % stamp), file=sys.stderr)


if __name__ == "__main__":
    main()
