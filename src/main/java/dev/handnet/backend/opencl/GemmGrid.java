package dev.handnet.backend.opencl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The values {@code handnet tune} tries for each GEMM parameter (see {@link GemmConfig}); the
 * candidates are every combination the kernel accepts and the device runs, with at most
 * {@link #MAX_OUTPUTS_PER_ITEM} outputs in one work-item's registers.
 */
record GemmGrid(int[] mwg, int[] nwg, int[] kwg, int[] mdimc, int[] ndimc, int[] vw, boolean[] staging, int[] unroll) {

    /** Beyond this many accumulators a work-item spills registers on any device. */
    static final int MAX_OUTPUTS_PER_ITEM = 256;

    /** Fixed order of the shuffled grid, so a budget cut short tries the same candidates again. */
    private static final long SEED = 1;

    static final GemmGrid FULL = new GemmGrid(new int[] {16, 32, 64, 128}, new int[] {16, 32, 64, 128}, new int[] {8, 16, 32},
            new int[] {1, 2, 4, 8, 16}, new int[] {1, 2, 4, 8, 16}, new int[] {1, 2, 4, 8, 16}, new boolean[] {false, true},
            new int[] {1, 4, 8});

    /** --quick: the shapes that matter most on CPUs (one work-item, wide vectors) and GPUs (staged 8 x 8 groups). */
    static final GemmGrid QUICK = new GemmGrid(new int[] {16, 32, 64}, new int[] {32, 64}, new int[] {16},
            new int[] {1, 8}, new int[] {1, 8}, new int[] {4, 8, 16}, new boolean[] {false, true}, new int[] {4});

    /**
     * The device's defaults for every class first, then every valid combination in a fixed
     * shuffled order (so a time budget samples the whole grid), each once.
     */
    List<GemmConfig> candidates(DeviceInfo device, int realBytes) {
        List<GemmConfig> grid = new ArrayList<>();
        for (int a : mwg)
            for (int b : nwg)
                for (int k : kwg)
                    for (int dm : mdimc)
                        for (int dn : ndimc)
                            for (int v : vw)
                                for (boolean sa : staging)
                                    for (boolean sb : staging)
                                        for (int u : unroll) {
                                            if (a % dm != 0 || b % dn != 0 || (b / dn) % v != 0 || k % u != 0) continue;
                                            GemmConfig c = new GemmConfig(a, b, k, dm, dn, v, sa, sb, u);
                                            if (c.outputsPerItem() <= MAX_OUTPUTS_PER_ITEM && c.misfit(device, realBytes) == null) grid.add(c);
                                        }
        Collections.shuffle(grid, new Random(SEED));
        Set<GemmConfig> ordered = new LinkedHashSet<>();
        for (GemmClass shape : GemmTuner.TIMED.keySet()) ordered.add(GemmConfig.defaults(device, shape, realBytes));
        ordered.addAll(grid);
        return List.copyOf(ordered);
    }
}
