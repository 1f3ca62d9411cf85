package dev.handnet.bench;

import dev.handnet.bench.BenchReport.Device;
import dev.handnet.bench.BenchReport.GemmRow;
import dev.handnet.bench.BenchReport.Machine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpeedPlotTest {

    static GemmRow sweep(String device, int n, double gflops) {
        return new GemmRow(device, n, n, n, false, false, true, 2.0 * n * n * n / gflops / 1e9, gflops, null);
    }

    /** A handnet report with a CPU and an OpenCL sweep, on a machine of peak 234.24 GFLOP/s. */
    static BenchReport handnet() {
        Machine machine = new Machine("AMD EPYC", 2, 3.66, 16, 1.0, 117.0, 234.24, "jvm", "os");
        return new BenchReport("handnet", "2026-11-23T16:05:00Z", machine, Map.of(),
                List.of(new Device("cpu", "cpu (2 threads)", null, null, null), new Device("opencl:0:0", "pocl", "Portable Computing Language", "3.1", null)),
                List.of(sweep("cpu", 64, 20), sweep("cpu", 128, 60), sweep("opencl:0:0", 64, 2), sweep("opencl:0:0", 128, 3),
                        new GemmRow("cpu", 1000, 784, 100, false, false, false, 1e-3, 157, 0.67)),
                List.of(), List.of());
    }

    static BenchReport numpy() {
        return new BenchReport("numpy", "2026-11-23T16:05:00Z", null, Map.of("blas", "openblas 0.3.21"), List.of(),
                List.of(sweep("cpu", 64, 80), sweep("cpu", 128, 90)), List.of(), List.of());
    }

    @Test
    void aSeriesPerHandnetDeviceAndPeerAndThePeakLine() {
        var chart = SpeedPlot.chart(handnet(), List.of(numpy(), numpy()));
        assertEquals(List.of("handnet cpu", "handnet opencl:0:0 (Portable Computing Language)", "numpy / openblas 0.3.21",
                        "numpy / openblas 0.3.21 #2", "CPU peak: 2 cores x 3.66 GHz x 16 lanes x 1 FMA units x 2 = 234.2 GFLOP/s"),
                List.copyOf(chart.getSeriesMap().keySet()));
        var cpu = chart.getSeriesMap().get("handnet cpu");
        assertEquals(6.0, cpu.getXMin(), 1e-12, "x is log2 n");
        assertEquals(7.0, cpu.getXMax(), 1e-12);
        assertEquals(60.0, cpu.getYMax(), 0, "only the sweep rows, not 1000x784x100");
    }

    @Test
    void aPeerWithoutBlasIsNamedByItsTool() {
        BenchReport torch = new BenchReport("torch", null, null, null, null, List.of(sweep("cpu", 64, 50)), null, null);
        assertEquals("torch", SpeedPlot.label(torch));
    }

    @Test
    void nothingToDrawIsAnError() {
        BenchReport empty = new BenchReport("handnet", null, null, null, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> SpeedPlot.chart(empty, List.of()));
    }
}
