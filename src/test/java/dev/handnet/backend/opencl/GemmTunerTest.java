package dev.handnet.backend.opencl;

import dev.handnet.backend.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tuner on the test device, with kernel variants that are wrong or do not build: only the good one is kept, and used. */
class GemmTunerTest {

    @TempDir
    Path dir;

    private static final GemmConfig GOOD = new GemmConfig(16, 32, 16, 1, 1, 16, false, false, 4),
            WRONG = new GemmConfig(16, 32, 16, 1, 1, 8, false, false, 4),
            BROKEN = new GemmConfig(16, 32, 16, 1, 1, 4, false, false, 4);

    /** gemm.cl where VW = 8 is a thousandth off and VW = 4 fails to compile. */
    private static final KernelSources SABOTAGED = file -> {
        String source = KernelSources.classpath().load(file);
        if (!file.equals("gemm.cl")) return source;
        String wrong = source.replace("acc[w][v] += a * b[v];", "acc[w][v] += a * b[v] * (VW == 8 ? 1.001f : 1);");
        if (wrong.equals(source)) throw new IllegalStateException("gemm.cl no longer has the line this test changes");
        return "#if VW == 4\n#error deliberately broken\n#endif\n" + wrong;
    };

    @Test
    void candidatesThatDisagreeOrDoNotBuildAreReportedAndNeverKept() {
        StringWriter text = new StringWriter();
        List<TuningCache.Entry> winners;
        try (GemmTuner tuner = new GemmTuner(OpenClTestDevice.get(), Precision.FLOAT32, SABOTAGED, new PrintWriter(text, true), 1)) {
            winners = tuner.tune(List.of(WRONG, BROKEN, GOOD), 600);
        }
        String out = text.toString();
        assertTrue(out.contains("[1/3") && out.contains("VW=8") && out.contains("skipped: it disagrees with the reference"), out);
        assertTrue(out.contains("[2/3") && out.contains("skipped: it does not build"), out);
        assertTrue(out.contains("[3/3") && out.contains("large-nn") && out.contains("GFLOP/s"), out);
        assertEquals(GemmTuner.TIMED.size(), winners.size(), out);
        for (TuningCache.Entry e : winners) {
            assertEquals(GOOD, e.config(), e.toString());
            assertTrue(e.gflops() > 0, e.toString());
            assertEquals(OpenClTestDevice.get().driver(), e.driver());
        }
        assertFalse(winners.stream().anyMatch(e -> e.shapeClass().endsWith("-tt")), "no training product is transposed twice");
    }

    @Test
    void theBudgetStopsTheSearchAfterTheFirstCandidate() {
        StringWriter text = new StringWriter();
        try (GemmTuner tuner = new GemmTuner(OpenClTestDevice.get(), Precision.FLOAT32, KernelSources.classpath(),
                new PrintWriter(text, true), 1)) {
            assertEquals(GemmTuner.TIMED.size(), tuner.tune(List.of(GOOD, WRONG), 1e-9).size());
        }
        assertTrue(text.toString().contains("time budget of 0 s spent after 1 of 2 candidates"), text.toString());
    }

    @Test
    void theBackendRunsTunedParametersFromTheCache() {
        Path file = dir.resolve("gemm-tuning.json");
        DeviceInfo device = OpenClTestDevice.get();
        TuningCache.load(file).with(List.of(new TuningCache.Entry(device.name(), device.driver(), Precision.FLOAT32.name(),
                GemmClass.LARGE_TN.key(), GOOD, 1, "2026-11-23T16:05:00Z"))).save();
        try (OpenClBackend be = new OpenClBackend(device)) {
            ClGemm gemm = new ClGemm(be.runtime(), TuningCache.load(file));
            assertEquals(GOOD, gemm.config(GemmClass.LARGE_TN));
            assertEquals(GemmConfig.defaults(device, GemmClass.LARGE_NN, Float.BYTES), gemm.config(GemmClass.LARGE_NN));
            assertTrue(gemm.describe().contains("large-tn tuned " + GOOD), gemm.describe());
            assertTrue(gemm.describe().contains("large-nn default"), gemm.describe());
        }
    }
}
