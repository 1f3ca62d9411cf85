package dev.handnet.backend.opencl;

/** What tests outside this package may read of an OpenCL backend's runtime. */
public final class OpenClProbe {

    private OpenClProbe() {
    }

    /** The backend's live OpenCL objects (all zero once it is closed). */
    public static ClObjects liveObjects(OpenClBackend be) {
        return be.runtime().liveObjects();
    }
}
