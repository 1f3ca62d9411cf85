package dev.handnet.backend.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where kernel source text comes from: the jar's kernels/*.cl by default, anything in tests. */
@FunctionalInterface
public interface KernelSources {

    /** The OpenCL C source of a kernel file such as "gemm.cl". */
    String load(String file);

    /** kernels/&lt;file&gt; on the classpath (the top-level kernels/ folder, packaged into the jar). */
    static KernelSources classpath() {
        return file -> {
            try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream("kernels/" + file)) {
                if (in == null) throw new IllegalStateException("kernels/" + file + " is not on the classpath");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kernels/" + file, e);
            }
        };
    }
}
