"""compare.py's merging and ratios on small made-up results.  /usr/bin/python3 -m unittest bench/test_compare.py"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def gemm(m, k, n, gflops, trans_a=False, trans_b=False, sweep=False, threads=2):
    return {"device": "cpu", "m": m, "k": k, "n": n, "trans_a": trans_a, "trans_b": trans_b, "sweep": sweep,
            "threads": threads, "seconds": 2.0 * m * k * n / gflops / 1e9, "gflops": gflops}


def epoch(preset, seconds, threads=2):
    batch, steps = (1000, 60) if preset == "tutorial" else (32, 1875)
    return {"device": "cpu", "preset": preset, "batch": batch, "steps": steps, "rows": batch * steps,
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


class TargetsAreTheCpuBackends(unittest.TestCase):

    def test_an_opencl_row_is_compared_but_not_judged(self):
        numpy = results("numpy", [gemm(1000, 784, 100, 200.0)], [epoch("tutorial", 0.2)])
        row, run = gemm(1000, 784, 100, 5.0), epoch("tutorial", 5.0)
        row["device"] = run["device"] = "opencl:0:0"
        rows = compare.gemm_ratios(results("handnet", [row]), numpy) + \
            compare.epoch_ratios(results("handnet", [], [run]), numpy, results("torch"))
        self.assertAlmostEqual(rows[0]["ratio"], 0.025)
        self.assertEqual({r["verdict"] for r in rows}, {""})


class GemmRatiosAreHandnetOverNumpy(unittest.TestCase):

    def setUp(self):
        numpy = results("numpy", [gemm(1000, 784, 100, 200.0), gemm(32, 784, 100, 100.0),
                                  gemm(1024, 1024, 1024, 300.0), gemm(1024, 1024, 1024, 250.0, sweep=True)])
        handnet = results("handnet", [gemm(1000, 784, 100, 150.0), gemm(32, 784, 100, 40.0),
                                      gemm(1024, 1024, 1024, 150.0, sweep=True), gemm(2048, 2048, 2048, 90.0)])
        self.rows = by_what(compare.gemm_ratios(handnet, numpy))

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


class TheMarkdownTable(unittest.TestCase):

    def test_has_one_line_per_ratio_with_values_ratio_target_and_verdict(self):
        rows = [compare.ratio("GEMM 32x784x100 A B", 40.0, "numpy", 100.0, 0.5, True),
                compare.ratio("epoch modern vs torch best", 1.0, "torch best", 0.8, 1.0, False)]
        lines = compare.markdown(rows, "note").splitlines()
        self.assertEqual(lines[4], "| GEMM 32x784x100 A B | 40.0 GFLOP/s | numpy 100.0 GFLOP/s | 0.40 | >= 0.5 | MISS |")
        self.assertEqual(lines[5], "| epoch modern vs torch best | 1.000 s | torch best 0.800 s | 1.25 | <= 1.0 | MISS |")


if __name__ == "__main__":
    unittest.main()
