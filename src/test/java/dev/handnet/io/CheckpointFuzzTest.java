package dev.handnet.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handnet.AllocationBudget;
import dev.handnet.nn.Architecture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the checkpoint reader (format v2, safetensors, and v1, docs/checkpoint.md):
 * any bytes as a .hnet file. A checkpoint whose parameters match its architecture and are
 * finite, or a CheckpointException naming the file; any other exception, an OutOfMemoryError, an allocation out of proportion
 * to the input (AllocationBudget) or a hang is a finding. Inputs:
 * CheckpointFuzzTestInputs/checkpoint/ in src/test/resources (valid and broken files of both
 * versions, v2's named v2-* and valid-v2-*).
 */
class CheckpointFuzzTest {

    private static final Path FILE = Path.of("fuzz-model.hnet");

    @FuzzTest(maxDuration = "3m")
    void checkpoint(byte[] input) {
        Checkpoint c;
        try {
            c = AllocationBudget.within(input.length, 4, () -> {
                try {
                    return Checkpoint.read(FILE, new ByteArrayInputStream(input), input.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (CheckpointException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": "), "the message names the file: " + e.getMessage());
            return;
        }
        Architecture a = c.architecture();
        int i = 0;
        for (int l = 0; l < a.layers(); l++) {
            assertEquals((long) a.in(l) * a.out(l), c.parameters().get(i++).length, "W" + l);
            if (a.bias()) assertEquals(a.out(l), c.parameters().get(i++).length, "b" + l);
        }
        for (float[] p : c.parameters()) {
            for (float v : p) assertTrue(Float.isFinite(v), "a loaded parameter is finite");
        }
        assertEquals(i, c.parameters().size());
    }
}
