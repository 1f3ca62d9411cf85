package dev.handnet.backend.opencl;

import java.util.Locale;
import java.util.Set;

/**
 * The GEMM kernel's build parameters (see kernels/gemm.cl), the one place they are chosen: each
 * work-group computes an (mwg, nwg) tile of C in k steps of kwg with mdimc x ndimc work-items,
 * each holding (mwg / mdimc) x (nwg / ndimc) outputs in registers; vw: the vector width of op(B)
 * loads and C stores; sa, sb: stage op(A), op(B) tiles in local memory; unroll: k steps per
 * iteration of the accumulate loop. Tuned values come from {@link TuningCache}, else
 * {@link #defaults}.
 */
public record GemmConfig(int mwg, int nwg, int kwg, int mdimc, int ndimc, int vw, boolean sa, boolean sb, int unroll) {

    static final Set<Integer> VECTOR_WIDTHS = Set.of(1, 2, 4, 8, 16);

    /** Fails unless the parameters divide as the kernel needs. */
    public GemmConfig {
        if (mwg < 1 || nwg < 1 || kwg < 1 || mdimc < 1 || ndimc < 1 || unroll < 1) {
            throw new IllegalArgumentException("GEMM parameters must be >= 1: " + describe(mwg, nwg, kwg, mdimc, ndimc, vw, sa, sb, unroll));
        }
        String wrong = mwg % mdimc != 0 ? "MDIMC must divide MWG"
                : nwg % ndimc != 0 ? "NDIMC must divide NWG"
                : !VECTOR_WIDTHS.contains(vw) ? "VW must be 1, 2, 4, 8 or 16"
                : (nwg / ndimc) % vw != 0 ? "VW must divide NWG / NDIMC"
                : kwg % unroll != 0 ? "UNROLL must divide KWG" : null;
        if (wrong != null) throw new IllegalArgumentException(wrong + ": " + describe(mwg, nwg, kwg, mdimc, ndimc, vw, sa, sb, unroll));
    }

    /**
     * A CPU's vector registers suit narrow groups of items holding rows of 16-wide vectors, reading
     * A and B where they lie (staged only when B is transposed, to turn its strided reads into
     * vector loads); a GPU's wide groups share staged tiles. Measured on PoCL (AVX-512): 80-130
     * GFLOP/s on the large training products.
     */
    private static final GemmConfig CPU_LARGE = new GemmConfig(64, 32, 16, 8, 1, 16, false, false, 4),
            CPU_SMALL = new GemmConfig(16, 32, 16, 1, 1, 16, false, false, 4),
            GPU_LARGE = new GemmConfig(64, 64, 16, 16, 16, 4, true, true, 4),
            GPU_SMALL = new GemmConfig(32, 32, 16, 8, 8, 4, true, true, 4);

    /** Untuned parameters for a device type and class, shrunk until they fit the device. */
    static GemmConfig defaults(DeviceInfo device, GemmClass shape, int realBytes) {
        GemmConfig c = device.gpu() ? (shape.small() ? GPU_SMALL : GPU_LARGE) : (shape.small() ? CPU_SMALL : CPU_LARGE);
        if (shape.transB()) c = new GemmConfig(c.mwg, c.nwg, c.kwg, c.mdimc, c.ndimc, c.vw, c.sa, true, c.unroll);
        while (c.canShrink() && c.misfit(device, realBytes) != null) c = c.smaller();
        return c;
    }

    /** Work-items per group. */
    long workGroupSize() {
        return (long) mdimc * ndimc;
    }

    /** Bytes of local memory the staged tiles take. */
    long localBytes(int realBytes) {
        return ((sa ? (long) mwg * kwg : 0) + (sb ? (long) kwg * nwg : 0)) * realBytes;
    }

    /** Outputs each work-item holds in registers. */
    int outputsPerItem() {
        return (mwg / mdimc) * (nwg / ndimc);
    }

    /** Why device cannot run this configuration (work-group or local memory too large), or null when it can. */
    String misfit(DeviceInfo device, int realBytes) {
        if (workGroupSize() > device.maxWorkGroupSize()) {
            return "work-groups of " + workGroupSize() + " items, the device runs at most " + device.maxWorkGroupSize();
        }
        if (localBytes(realBytes) > device.localMemory()) {
            return localBytes(realBytes) + " bytes of local memory, the device has " + device.localMemory();
        }
        return null;
    }

    boolean canShrink() {
        return workGroupSize() > 1;
    }

    /** A quarter or half the work-group with the same outputs per item: halves mdimc and mwg, and ndimc and nwg. */
    GemmConfig smaller() {
        int dm = mdimc > 1 ? 2 : 1, dn = ndimc > 1 ? 2 : 1;
        return new GemmConfig(mwg / dm, nwg / dn, kwg, mdimc / dm, ndimc / dn, vw, sa, sb, unroll);
    }

    /** The -D options kernels/gemm.cl is compiled with. */
    String options() {
        return String.format(Locale.ROOT, "-D MWG=%d -D NWG=%d -D KWG=%d -D MDIMC=%d -D NDIMC=%d -D VW=%d -D SA=%d -D SB=%d -D UNROLL=%d",
                mwg, nwg, kwg, mdimc, ndimc, vw, sa ? 1 : 0, sb ? 1 : 0, unroll);
    }

    /** Work-items for C: (m, n): ndimc per nwg columns in dimension 0, mdimc per mwg rows in dimension 1. */
    long[] global(int m, int n) {
        return new long[] {ClKernels.roundUp(n, nwg) / nwg * ndimc, ClKernels.roundUp(m, mwg) / mwg * mdimc};
    }

    long[] local() {
        return new long[] {ndimc, mdimc};
    }

    @Override
    public String toString() {
        return describe(mwg, nwg, kwg, mdimc, ndimc, vw, sa, sb, unroll);
    }

    private static String describe(int mwg, int nwg, int kwg, int mdimc, int ndimc, int vw, boolean sa, boolean sb, int unroll) {
        return String.format(Locale.ROOT, "MWG=%d NWG=%d KWG=%d MDIMC=%d NDIMC=%d VW=%d SA=%d SB=%d UNROLL=%d",
                mwg, nwg, kwg, mdimc, ndimc, vw, sa ? 1 : 0, sb ? 1 : 0, unroll);
    }
}
