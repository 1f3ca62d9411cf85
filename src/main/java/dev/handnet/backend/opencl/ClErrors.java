package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceException;
import org.jocl.CL;

import java.util.Locale;

import static org.jocl.CL.*;

/**
 * One-line messages for what goes wrong on an OpenCL device once it has opened: an OpenCL call
 * that returned an error, and a buffer larger than the device allows (checked before
 * clCreateBuffer, so asking costs no memory). Each names the device, what failed and what to do.
 * Public so that fault-injecting test backends throw exactly what a real device throws.
 */
public final class ClErrors {

    /** The options that make matrices smaller, or avoid the device. */
    static final String SMALLER = "use a smaller --batch (or --hidden, --limit), or --device cpu";

    private ClErrors() {
    }

    /**
     * The error an OpenCL call returned, as a {@link DeviceException}: {@code OpenCL error
     * CL_DEVICE_NOT_AVAILABLE on DEVICE in CALL: what to do}.
     */
    public static DeviceException failure(String device, String during, int status, Throwable cause) {
        return new DeviceException("OpenCL error " + CL.stringFor_errorCode(status) + " on " + device + " in " + during
                + ": " + hint(status), cause);
    }

    /** What a status means for the user, and what to do. */
    static String hint(int status) {
        return switch (status) {
            case CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY, CL_INVALID_BUFFER_SIZE ->
                    "the device ran out of memory or resources; " + SMALLER;
            case CL_DEVICE_NOT_AVAILABLE, CL_INVALID_COMMAND_QUEUE, CL_INVALID_CONTEXT ->
                    "the device was lost or reset; check its driver (clinfo lists it), or use --device cpu";
            default -> "rerun with --verbose for the stack trace, or use --device cpu";
        };
    }

    /**
     * Throws, naming what and its size, when one buffer of bytes is more than the device's
     * largest allocation, or than its global memory with inUse bytes already held.
     */
    public static void requireAllocatable(String device, String what, long bytes, long maxAlloc, long inUse,
                                          long globalMemory) {
        if (bytes > maxAlloc) {
            throw tooLarge(device, what, bytes, "at most " + size(maxAlloc) + " in one buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
        }
        if (inUse + bytes > globalMemory) {
            throw tooLarge(device, what, bytes, size(globalMemory) + " of global memory (CL_DEVICE_GLOBAL_MEM_SIZE), "
                    + size(inUse) + " of it in use");
        }
    }

    private static DeviceException tooLarge(String device, String what, long bytes, String limit) {
        return new DeviceException("cannot allocate " + what + " on " + device + ": " + size(bytes)
                + " asked, the device allows " + limit + "; " + SMALLER);
    }

    /** bytes, and GiB or MiB for people: {@code 6400000000 bytes (5.96 GiB)}. */
    static String size(long bytes) {
        if (bytes < 1 << 20) return bytes + " bytes";
        return bytes < 1L << 30 ? String.format(Locale.ROOT, "%d bytes (%.1f MiB)", bytes, bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%d bytes (%.2f GiB)", bytes, bytes / (double) (1L << 30));
    }
}
