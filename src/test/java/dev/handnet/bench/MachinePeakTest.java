package dev.handnet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MachinePeakTest {

    @Test
    void thePeakIsCoresTimesClockTimesLanesTimesFmaUnitsTimesTwo() {
        MachinePeak peak = new MachinePeak(2, 3.66, 16, 1, Double.NaN);
        assertEquals(234.24, peak.gflops(), 1e-9);  // 2 * 3.66 * 16 * 1 * 2
        assertEquals("2 cores x 3.66 GHz x 16 lanes x 1 FMA units x 2 = 234.2 GFLOP/s", peak.formula());
        assertEquals(4 * 3.0 * 8 * 1.5 * 2, new MachinePeak(4, 3.0, 8, 1.5, Double.NaN).gflops(), 1e-9);
        assertEquals("4 cores x 3.00 GHz x 8 lanes x 1.5 FMA units x 2 = 288.0 GFLOP/s",
                new MachinePeak(4, 3.0, 8, 1.5, Double.NaN).formula());
    }

    @Test
    void fmaUnitsAreTheMeasuredRateOverClockLanesAndTwoToTheNearestHalf() {
        assertEquals(2.0, MachinePeak.fmaUnits(225.3, 3.53, 16), 0);   // 1.99 FMA/cycle: Zen 5
        assertEquals(1.0, MachinePeak.fmaUnits(110.0, 3.66, 16), 0);   // 0.94: one 512-bit unit
        assertEquals(1.5, MachinePeak.fmaUnits(84.0, 3.5, 8), 0);      // 1.5
        assertEquals(0.5, MachinePeak.fmaUnits(1.0, 3.5, 16), 0);      // never below a half
    }

    @Test
    void theMeasuredClockIsAPlausibleCpuClock() {
        double ghz = MachinePeak.measureClockGhz();
        // Any x86 server or laptop core of the last 15 years; a chain the JIT shortened would read far above.
        assertEquals(3.0, ghz, 2.5, "measured " + ghz + " GHz");
    }
}
