package dev.handnet.bench;

import dev.handnet.backend.Backend;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpBenchTest {

    /** Backend methods that are not ops: memory and copies, description, the live count, and GEMM, which GemmBench times. */
    private static final Set<String> NOT_OPS = Set.of("name", "precision", "allocate", "upload", "uploadIndices",
            "download", "downloadDoubles", "readLoss", "close", "gemm", "liveMatrices");

    @Test
    void everyBackendOpHasALineInTheTable() {
        Set<String> ops = Arrays.stream(Backend.class.getMethods()).map(Method::getName)
                .filter(n -> !NOT_OPS.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> table = OpBench.OPS.stream().map(OpBench.Op::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ops, table, "a new Backend op needs its line in OpBench.OPS");
    }
}
