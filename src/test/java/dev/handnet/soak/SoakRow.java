package dev.handnet.soak;

import dev.handnet.nn.EpochReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of {@link SoakTest}'s record: after an epoch (or after close, epoch 0), the heap in
 * use after a full GC, the process's resident set, and the backend's live matrices and bytes and
 * (on OpenCL) buffers, buffer bytes, kernels and programs.
 */
record SoakRow(String backend, int epoch, double batchLoss, double testAccuracy, double trainSeconds, long heapUsed,
               long rss, long liveMatrices, long liveBytes, long clBuffers, long clBufferBytes, long clKernels,
               long clPrograms) {

    private static final String HEADER = "backend,epoch,batch_loss,test_accuracy,train_seconds,heap_used_bytes,rss_bytes,"
            + "live_matrices,live_matrix_bytes,cl_buffers,cl_buffer_bytes,cl_kernels,cl_programs";

    /** After an epoch: collects garbage, then reads the heap, the resident set and live = {matrices, bytes, buffers, buffer bytes, kernels, programs}. */
    static SoakRow measure(String backend, EpochReport r, long[] live) {
        return new SoakRow(backend, r.epoch(), r.batchLoss(), r.test().accuracy(), r.trainSeconds(), heapAfterGc(), residentBytes(),
                live[0], live[1], live[2], live[3], live[4], live[5]);
    }

    /** After close: epoch 0, no loss. */
    static SoakRow closed(String backend, long[] live) {
        return new SoakRow(backend, 0, Double.NaN, Double.NaN, 0, heapAfterGc(), residentBytes(), live[0], live[1], live[2], live[3],
                live[4], live[5]);
    }

    boolean sameBackendMemory(SoakRow o) {
        return liveMatrices == o.liveMatrices && liveBytes == o.liveBytes && clBuffers == o.clBuffers
                && clBufferBytes == o.clBufferBytes && clKernels == o.clKernels && clPrograms == o.clPrograms;
    }

    /** Used heap after System.gc(), twice (a full collection with G1), in bytes. */
    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** VmRSS from /proc/self/status in bytes, or -1 where there is none. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    String line() {
        return String.format(Locale.ROOT, "%-7s %5s %9.5f %7.2f%% %7.0f %9.1f %8.1f %8d %10.3f %8d %10.3f %7d %8d",
                backend, epoch == 0 ? "close" : Integer.toString(epoch), batchLoss, 100 * testAccuracy, 1000 * trainSeconds,
                heapUsed / 1048576.0, rss / 1048576.0, liveMatrices, liveBytes / 1048576.0, clBuffers,
                clBufferBytes / 1048576.0, clKernels, clPrograms);
    }

    static String table(List<SoakRow> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-7s %5s %9s %8s %7s %9s %8s %8s %10s %8s %10s %7s %8s%n",
                "backend", "epoch", "loss", "test", "ms", "heap MiB", "RSS MiB", "matrices", "mat MiB", "buffers",
                "buf MiB", "kernels", "programs"));
        for (SoakRow r : rows) s.append(r.line()).append('\n');
        return s.toString();
    }

    static List<String> csv(List<SoakRow> rows) {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (SoakRow r : rows) {
            lines.add(String.format(Locale.ROOT, "%s,%s,%.8f,%.6f,%.4f,%d,%d,%d,%d,%d,%d,%d,%d", r.backend,
                    r.epoch == 0 ? "closed" : Integer.toString(r.epoch), r.batchLoss, r.testAccuracy, r.trainSeconds,
                    r.heapUsed, r.rss, r.liveMatrices, r.liveBytes, r.clBuffers, r.clBufferBytes, r.clKernels, r.clPrograms));
        }
        return lines;
    }
}
