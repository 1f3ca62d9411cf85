package dev.handnet.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handnet.AllocationBudget;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the Iris CSV reader: any bytes as iris.csv. A parsed file (every feature
 * finite, every label naming a species) or a DataFileException naming the file; anything
 * else is a finding. Inputs: IrisFuzzTestInputs/csv/ in src/test/resources.
 */
class IrisFuzzTest {

    private static final Path FILE = Path.of("fuzz-iris.csv");

    @FuzzTest(maxDuration = "3m")
    void csv(byte[] input) {
        Iris iris;
        try {
            // a line of text becomes a String (2 bytes a char) and a split array: a few dozen bytes per input byte
            iris = AllocationBudget.within(input.length, 64, () -> Iris.parse(FILE, input));
        } catch (DataFileException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": "), "the message names the file: " + e.getMessage());
            return;
        }
        assertEquals(iris.rows() * Iris.FEATURES, iris.features().length);
        for (double f : iris.features()) assertTrue(Double.isFinite(f), "features are finite numbers");
        for (int y : iris.labels()) assertTrue(y >= 0 && y < iris.species().size(), "labels name a species");
    }
}
