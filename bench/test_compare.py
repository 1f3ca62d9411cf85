"""compare.py's merging and ratios on small made-up results.  /usr/bin/python3 -m unittest bench/test_compare.py"""
import os
import sys
import tempfile
import unittest
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def gemm(m, k, n, gflops, trans_a=False, trans_b=False, sweep=False, threads=2, device="cpu"):
    return {"device": device, "m": m, "k": k, "n": n, "trans_a": trans_a, "trans_b": trans_b, "sweep": sweep,
            "threads": threads, "seconds": 2.0 * m * k * n / gflops / 1e9, "gflops": gflops}


def epoch(preset, seconds, threads=2, device="cpu"):
    batch, steps = (1000, 60) if preset == "tutorial" else (32, 1875)
    return {"device": device, "preset": preset, "batch": batch, "steps": steps, "rows": batch * steps,
            "threads": threads, "seconds": seconds}


def results(tool, gemm_rows=(), epoch_rows=()):
    return {"tool": tool, "date": "2026-11-23T16:05:00Z", "machine": {"cpu": "AMD EPYC", "cores": 2},
            "versions": {"python": "3.11.2"}, "gemm": list(gemm_rows), "epochs": list(epoch_rows)}


def by_what(rows):
    return {r["what"]: r for r in rows}


class BestOfKeepsEachEntrysBestRound(unittest.TestCase):

    def test_the_highest_gflops_and_the_fewest_seconds_win(self):
        merged = compare.best_of([
            results("numpy", [gemm(1000, 784, 100, 150.0)], [epoch("modern", 0.7)]),
            results("numpy", [gemm(1000, 784, 100, 210.0)], [epoch("modern", 0.9)]),
            results("numpy", [gemm(1000, 784, 100, 180.0)], [epoch("modern", 0.6)]),
        ])
        self.assertEqual([r["gflops"] for r in merged["gemm"]], [210.0])
        self.assertEqual([r["seconds"] for r in merged["epochs"]], [0.6])
        self.assertEqual(merged["rounds"], 3)

    def test_thread_counts_sweep_rows_and_separate_files_stay_separate_entries(self):
        merged = compare.best_of([
            results("torch", [], [epoch("modern", 0.8, threads=1), epoch("modern", 1.2, threads=2)]),
            results("numpy", [gemm(1024, 1024, 1024, 200.0), gemm(1024, 1024, 1024, 190.0, sweep=True)]),
        ])
        self.assertEqual(sorted(r["threads"] for r in merged["epochs"]), [1, 2])
        self.assertEqual(sorted(r["sweep"] for r in merged["gemm"]), [False, True])


    def test_handnet_rows_need_no_thread_count(self):
        row, other = gemm(1000, 784, 100, 150.0), gemm(1000, 784, 100, 170.0)
        del row["threads"], other["threads"]
        merged = compare.best_of([results("handnet", [row]), results("handnet", [other])])
        self.assertEqual([r["gflops"] for r in merged["gemm"]], [170.0])


class EpochRatiosArePerStep(unittest.TestCase):

    def test_a_quick_epoch_of_fewer_steps_is_compared_per_step(self):
        short = epoch("tutorial", 0.05)
        short["steps"] = 5
        rows = by_what(compare.epoch_ratios(results("handnet", [], [short]), results("numpy", [], [epoch("tutorial", 0.3)]),
                                            results("torch")))
        row = rows["epoch tutorial vs numpy (per step: 5 against 60 steps)"]
        self.assertAlmostEqual(row["ratio"], (0.05 / 5) / (0.3 / 60))
        self.assertEqual(row["verdict"], "MISS")


class WithoutClBlastResults(unittest.TestCase):

    def test_an_opencl_gemm_row_is_compared_with_numpy_but_not_judged(self):
        numpy = results("numpy", [gemm(1000, 784, 100, 200.0)])
        rows = compare.gemm_ratios(results("handnet", [gemm(1000, 784, 100, 5.0, device="opencl:0:0")]), {"numpy": numpy})
        self.assertEqual((rows[0]["peer"], rows[0]["verdict"]), ("numpy", ""))
        self.assertAlmostEqual(rows[0]["ratio"], 0.025)


class GemmRatiosAreHandnetOverNumpy(unittest.TestCase):

    def setUp(self):
        numpy = results("numpy", [gemm(1000, 784, 100, 200.0), gemm(32, 784, 100, 100.0),
                                  gemm(1024, 1024, 1024, 300.0), gemm(1024, 1024, 1024, 250.0, sweep=True)])
        handnet = results("handnet", [gemm(1000, 784, 100, 150.0), gemm(32, 784, 100, 40.0),
                                      gemm(1024, 1024, 1024, 150.0, sweep=True), gemm(2048, 2048, 2048, 90.0)])
        self.rows = by_what(compare.gemm_ratios(handnet, {"numpy": numpy}))

    def test_a_big_shape_at_three_quarters_of_numpy_meets_its_0_7_target(self):
        row = self.rows["GEMM 1000x784x100 A B"]
        self.assertAlmostEqual(row["ratio"], 0.75)
        self.assertEqual((row["target"], row["verdict"]), (">= 0.7", "OK"))

    def test_a_batch_32_shape_at_0_4_misses_its_0_5_target(self):
        row = self.rows["GEMM 32x784x100 A B"]
        self.assertAlmostEqual(row["ratio"], 0.4)
        self.assertEqual((row["target"], row["verdict"]), (">= 0.5", "MISS"))

    def test_a_sweep_row_is_compared_with_numpys_sweep_row_and_has_no_target(self):
        row = self.rows["GEMM 1024x1024x1024 A B (sweep)"]
        self.assertAlmostEqual(row["ratio"], 150.0 / 250.0)
        self.assertEqual((row["target"], row["verdict"]), (None, ""))

    def test_a_shape_numpy_did_not_run_has_no_ratio(self):
        row = self.rows["GEMM 2048x2048x2048 A B"]
        self.assertEqual((row["peer_value"], row["ratio"], row["verdict"]), (None, None, ""))


class EpochRatiosAreHandnetSecondsOverPeerSeconds(unittest.TestCase):

    def setUp(self):
        handnet = results("handnet", [], [epoch("tutorial", 0.30), epoch("modern", 1.0)])
        numpy = results("numpy", [], [epoch("tutorial", 0.40), epoch("modern", 0.6)])
        torch = results("torch", [], [epoch("tutorial", 0.30, threads=1), epoch("tutorial", 0.25, threads=2),
                                      epoch("modern", 0.8, threads=1), epoch("modern", 2.0, threads=2)])
        self.rows = by_what(compare.epoch_ratios(handnet, numpy, torch))

    def test_every_preset_is_compared_with_numpy_and_torch_at_each_thread_count_and_its_best(self):
        self.assertAlmostEqual(self.rows["epoch tutorial vs numpy"]["ratio"], 0.75)
        self.assertAlmostEqual(self.rows["epoch tutorial vs torch 1 thread"]["ratio"], 1.0)
        self.assertAlmostEqual(self.rows["epoch tutorial vs torch 2 threads"]["ratio"], 1.2)
        self.assertAlmostEqual(self.rows["epoch tutorial vs torch best"]["ratio"], 1.2)
        self.assertAlmostEqual(self.rows["epoch modern vs torch best"]["ratio"], 1.25)

    def test_the_targets_are_tutorial_against_numpy_and_modern_against_torchs_best(self):
        verdicts = {what: (r["target"], r["verdict"]) for what, r in self.rows.items() if r["target"]}
        self.assertEqual(verdicts, {"epoch tutorial vs numpy": ("<= 1.0", "OK"),
                                    "epoch modern vs torch best": ("<= 1.0", "MISS")})


class OpenClGemmRatiosAreHandnetOverClBlast(unittest.TestCase):

    def setUp(self):
        opencl = "opencl:0:0"
        clblast = results("clblast", [gemm(1000, 784, 100, 20.0, device=opencl),
                                      gemm(784, 1000, 100, 20.0, trans_a=True, device=opencl),
                                      gemm(1024, 1024, 1024, 12.0, device=opencl),
                                      gemm(32, 784, 100, 8.0, device=opencl)])
        numpy = results("numpy", [gemm(1000, 784, 100, 200.0)])
        handnet = results("handnet", [gemm(1000, 784, 100, 25.0, device=opencl),
                                      gemm(784, 1000, 100, 18.0, trans_a=True, device=opencl),
                                      gemm(1024, 1024, 1024, 12.0, sweep=True, device=opencl),
                                      gemm(32, 784, 100, 4.0, device=opencl),
                                      gemm(1000, 784, 100, 150.0)])
        self.rows = compare.gemm_ratios(handnet, {"numpy": numpy, "clblast": clblast})
        self.by_what = by_what(self.rows)

    def test_the_four_targeted_shapes_need_clblasts_speed(self):
        faster, slower = self.by_what["GEMM 1000x784x100 A B opencl:0:0"], self.by_what["GEMM 784x1000x100 Aᵀ B opencl:0:0"]
        self.assertEqual((faster["peer"], faster["ratio"], faster["target"], faster["verdict"]), ("clblast", 1.25, ">= 1.0", "OK"))
        self.assertAlmostEqual(slower["ratio"], 0.9)
        self.assertEqual(slower["verdict"], "MISS")

    def test_batch_32_and_sweep_rows_are_listed_without_a_target(self):
        batch32, sweep = self.by_what["GEMM 32x784x100 A B opencl:0:0"], self.by_what["GEMM 1024x1024x1024 A B (sweep) opencl:0:0"]
        self.assertAlmostEqual(batch32["ratio"], 0.5)
        self.assertAlmostEqual(sweep["ratio"], 1.0)  # clblast has no sweep row: its named 1024 cube stands in
        self.assertEqual({batch32["verdict"], sweep["verdict"]}, {""})

    def test_cpu_rows_of_the_same_run_stay_against_numpy_with_the_cpu_targets(self):
        row = self.by_what["GEMM 1000x784x100 A B"]
        self.assertEqual((row["peer"], row["ratio"], row["target"], row["verdict"]), ("numpy", 0.75, ">= 0.7", "OK"))


class OpenClEpochsAreJudgedAgainstNumpysCpuEpoch(unittest.TestCase):

    def ratios(self, tutorial_seconds, torch=None):
        handnet = results("handnet", [], [epoch("tutorial", tutorial_seconds, device="opencl:0:0"),
                                          epoch("modern", 30.0, device="opencl:0:0")])
        numpy = results("numpy", [], [epoch("tutorial", 0.2), epoch("modern", 0.3)])
        return by_what(compare.epoch_ratios(handnet, numpy, torch))

    def test_the_tutorial_within_12_times_numpy_is_ok_and_beyond_is_a_miss(self):
        inside, outside = self.ratios(2.3)["epoch tutorial opencl:0:0 vs numpy"], self.ratios(2.5)["epoch tutorial opencl:0:0 vs numpy"]
        self.assertAlmostEqual(inside["ratio"], 11.5)
        self.assertEqual((inside["target"], inside["verdict"], outside["verdict"]), ("<= 12", "OK", "MISS"))

    def test_modern_on_opencl_has_no_target(self):
        self.assertEqual(self.ratios(2.3)["epoch modern opencl:0:0 vs numpy"]["verdict"], "")

    def test_without_torch_results_only_numpy_is_compared(self):
        self.assertEqual(sorted(self.ratios(2.3)), ["epoch modern opencl:0:0 vs numpy", "epoch tutorial opencl:0:0 vs numpy"])
        with_torch = self.ratios(2.3, results("torch", [], [epoch("tutorial", 0.25, threads=1)]))
        self.assertIn("epoch tutorial opencl:0:0 vs torch best", with_torch)
        self.assertEqual(with_torch["epoch tutorial opencl:0:0 vs torch best"]["verdict"], "")


class TheDevicesPickThePeers(unittest.TestCase):

    @staticmethod
    def tools(extra):
        """(tool, results file pattern, script, options) of each peer run; the Python scripts run in sys.executable."""
        runs = []
        for tool, name, argv in compare.peer_runs(compare.handnet_devices(extra)):
            script = 1 if argv[0] == sys.executable else 0
            runs.append((tool, name, os.path.basename(argv[script]), argv[script + 1:]))
        return runs

    def test_the_cpu_runs_numpy_gemm_numpy_and_torch_epochs_as_before(self):
        expected = [("numpy", "numpy-gemm-%d.json", "numpy_gemm.py", []), ("numpy", "numpy-train-%d.json", "numpy_train.py", []),
                    ("torch", "torch-%d.json", "torch_train.py", ["--threads", "1,2"])]
        self.assertEqual(self.tools([]), expected)
        self.assertEqual(self.tools(["--device", "cpu"]), expected)

    def test_an_opencl_device_runs_clblast_on_it_and_numpys_epochs(self):
        self.assertEqual(self.tools(["--device=opencl:0:1"]), [
            ("clblast", "clblast-%d.json", "clblast_gemm", ["--device", "opencl:0:1"]),
            ("numpy", "numpy-train-%d.json", "numpy_train.py", [])])

    def test_cpu_and_opencl_together_run_every_peer_once(self):
        self.assertEqual([t[1] for t in self.tools(["--quick", "--device", "cpu,opencl"])],
                         ["numpy-gemm-%d.json", "numpy-train-%d.json", "torch-%d.json", "clblast-%d.json"])

    def test_two_opencl_devices_are_refused(self):
        with self.assertRaises(SystemExit):
            self.tools(["--device", "opencl:0:0", "--device", "opencl:1:0"])

    def test_the_commands_get_quick_and_their_results_file(self):
        runs = compare.peer_runs(["opencl"])
        (tool, path, argv), _ = compare.peer_commands(SimpleNamespace(quick=True), "out", 2, runs)
        self.assertEqual((tool, path), ("clblast", os.path.join("out", "clblast-2.json")))
        self.assertEqual(argv[1:], ["--device", "opencl", "--quick", "--json", os.path.join("out", "clblast-2.json")])


class ReuseFindsTheRunsOfTheMode(unittest.TestCase):

    def test_opencl_rounds_are_handnet_clblast_and_numpy_train_files(self):
        with tempfile.TemporaryDirectory() as out:
            for name in ("handnet-1.json", "handnet-2.json", "clblast-1.json", "clblast-2.json", "numpy-train-1.json",
                         "handnet-best-x.json", "torch-1.json"):
                open(os.path.join(out, name), "w").close()
            files = compare.earlier_rounds(out, compare.peer_runs(["opencl"]))
            self.assertEqual({tool: [os.path.basename(f) for f in paths] for tool, paths in files.items()},
                             {"handnet": ["handnet-1.json", "handnet-2.json"], "clblast": ["clblast-1.json", "clblast-2.json"],
                              "numpy": ["numpy-train-1.json"]})
            os.remove(os.path.join(out, "clblast-1.json"))
            os.remove(os.path.join(out, "clblast-2.json"))
            with self.assertRaises(SystemExit):
                compare.earlier_rounds(out, compare.peer_runs(["opencl"]))


class TheNote(unittest.TestCase):

    def test_names_clblasts_version_device_and_driver_and_leaves_out_torch_when_it_did_not_run(self):
        clblast = dict(results("clblast"), versions={"clblast": "1.5.2"},
                       devices=[{"device": "opencl:0:0", "name": "pthread-EPYC", "driver": "3.1+debian"}])
        numpy = dict(results("numpy"), versions={"numpy": "1.24.2", "blas": "openblas 0.3.21"})
        note = compare.describe({"handnet": results("handnet"), "numpy": numpy, "clblast": clblast})
        self.assertIn("numpy 1.24.2 with openblas 0.3.21, CLBlast 1.5.2 on pthread-EPYC, driver 3.1+debian;", note)
        self.assertNotIn("PyTorch", note)


class TheMarkdownTable(unittest.TestCase):

    def test_has_one_line_per_ratio_with_values_ratio_target_and_verdict(self):
        rows = [compare.ratio("GEMM 32x784x100 A B", 40.0, "numpy", 100.0, 0.5, True),
                compare.ratio("epoch modern vs torch best", 1.0, "torch best", 0.8, 1.0, False)]
        lines = compare.markdown(rows, "note").splitlines()
        self.assertEqual(lines[4], "| GEMM 32x784x100 A B | 40.0 GFLOP/s | numpy 100.0 GFLOP/s | 0.40 | >= 0.5 | MISS |")
        self.assertEqual(lines[5], "| epoch modern vs torch best | 1.000 s | torch best 0.800 s | 1.25 | <= 1.0 | MISS |")


if __name__ == "__main__":
    unittest.main()
