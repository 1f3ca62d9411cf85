package dev.handnet.backend.opencl;

/**
 * The GEMM kernel's build parameters for one device, the one place they are chosen: the tile
 * edge TS (each work-group computes a TS x TS tile of C) and WPT, the outputs per work-item
 * (a divisor of TS), so a work-group has TS * TS / WPT items. See kernels/gemm.cl.
 */
record GemmConfig(int tile, int perItem) {

    GemmConfig {
        if (tile < 1 || perItem < 1 || tile % perItem != 0) {
            throw new IllegalArgumentException("GEMM tile " + tile + " with " + perItem + " outputs per item: "
                    + "need tile >= 1 and a divisor of it");
        }
    }

    /** 32 x 32 tiles, 8 outputs per work-item (128 items), halved until the device's work-groups hold them. */
    static GemmConfig forDevice(DeviceInfo device) {
        GemmConfig c = new GemmConfig(32, 8);
        while (c.canShrink() && c.workGroupSize() > device.maxWorkGroupSize()) c = c.smaller();
        return c;
    }

    /** Work-items per work-group. */
    long workGroupSize() {
        return (long) tile * tile / perItem;
    }

    boolean canShrink() {
        return tile > 1;
    }

    /** Half the tile and half the outputs per item (at least one): a quarter of the work-group. */
    GemmConfig smaller() {
        return new GemmConfig(tile / 2, Math.max(1, perItem / 2));
    }

    /** The -D options kernels/gemm.cl is compiled with. */
    String options() {
        return "-D TS=" + tile + " -D WPT=" + perItem;
    }

    /** Work-items for C: (m, n): columns of C in dimension 0, rows (WPT per item) in dimension 1. */
    long[] global(int m, int n) {
        return new long[] {ClRuntime.roundUp(n, tile), ClRuntime.roundUp(m, tile) / perItem};
    }

    long[] local() {
        return new long[] {tile, tile / perItem};
    }
}
