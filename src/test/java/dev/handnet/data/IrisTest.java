package dev.handnet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The Iris CSV reader: every malformed file is refused with the file, the line and the field named. */
class IrisTest {

    private static final Path FILE = Path.of("iris.csv");
    private static final String HEADER = "2,4,setosa,versicolor,virginica\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("empty file", "", "is empty, expected a header line"),
                bad("only a newline", "\n", "line 1: header '', expected rows,4,class names"),
                bad("header without class names", "2,4\n", "line 1: header '2,4', expected rows,4,class names"),
                bad("five features", "2,5,a,b,c\n", "expected rows,4,class names"),
                bad("row count not a number", "two,4,a,b,c\n", "line 1: row count 'two' is not an integer"),
                bad("negative row count", "-1,4,a,b,c\n", "line 1: row count -1, expected 0 or more"),
                bad("row count far past the rows", "2147483647,4,a,b,c\n5.1,3.5,1.4,0.2,0\n",
                        "header promises 2147483647 rows but the file has 1"),
                bad("too few rows", HEADER + "5.1,3.5,1.4,0.2,0\n", "header promises 2 rows but the file has 1"),
                bad("too many rows", HEADER + "5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n4.7,3.2,1.3,0.2,0\n",
                        "header promises 2 rows but the file has 3"),
                bad("a row of four fields", HEADER + "5.1,3.5,1.4,0\n4.9,3.0,1.4,0.2,0\n", "line 2: 4 fields, expected 5"),
                bad("a row of six fields", HEADER + "5.1,3.5,1.4,0.2,0,0\n4.9,3.0,1.4,0.2,0\n", "line 2: 6 fields, expected 5"),
                bad("a blank line between rows", HEADER + "5.1,3.5,1.4,0.2,0\n\n4.9,3.0,1.4,0.2,0\n", "line 3: 1 fields, expected 5"),
                bad("a feature that is text", HEADER + "5.1,wide,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n",
                        "line 2: feature 2 'wide' is not a finite number"),
                bad("an empty feature", HEADER + "5.1,3.5,,0.2,0\n4.9,3.0,1.4,0.2,0\n", "line 2: feature 3 '' is not a finite number"),
                bad("a NaN feature", HEADER + "5.1,3.5,1.4,0.2,0\nNaN,3.0,1.4,0.2,0\n", "line 3: feature 1 'NaN' is not a finite number"),
                bad("an infinite feature", HEADER + "5.1,3.5,1.4,Infinity,0\n4.9,3.0,1.4,0.2,0\n",
                        "line 2: feature 4 'Infinity' is not a finite number"),
                bad("a feature that overflows", HEADER + "1e400,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n",
                        "line 2: feature 1 '1e400' is not a finite number"),
                bad("a label past the classes", HEADER + "5.1,3.5,1.4,0.2,3\n4.9,3.0,1.4,0.2,0\n", "line 2: label 3, expected 0 to 2"),
                bad("a negative label", HEADER + "5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,-1\n", "line 3: label -1, expected 0 to 2"),
                bad("a label with a fraction", HEADER + "5.1,3.5,1.4,0.2,1.0\n4.9,3.0,1.4,0.2,0\n", "line 2: label '1.0' is not an integer"),
                bad("a semicolon-separated file", "2;4;setosa;versicolor;virginica\n", "line 1: header"),
                new Object[] {"bytes that are not UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0}, "is not UTF-8 text"})
                .map(a -> arguments((Object[]) a));
    }

    private static Object[] bad(String name, String text, String expected) {
        return new Object[] {name, text.getBytes(StandardCharsets.UTF_8), expected};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedFileIsRefusedNamingTheFileAndLine(String name, byte[] bytes, String expected) {
        DataFileException e = assertThrows(DataFileException.class, () -> Iris.parse(FILE, bytes), name);
        assertTrue(e.getMessage().startsWith("iris.csv: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    @Test
    void windowsLineEndsAndATrailingBlankLineAreRead() {
        Iris iris = Iris.parse(FILE, (HEADER + "5.1,3.5,1.4,0.2,0\r\n4.9,3.0,1.4,0.2,2\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(2, iris.rows());
        assertArrayEquals(new int[] {0, 2}, iris.labels(new int[] {0, 1}));
        assertArrayEquals(new double[] {4.9, 3.0, 1.4, 0.2}, iris.x(new int[] {1}));
    }

    @Test
    void theBundledFileReads() {
        Iris iris = Iris.load();
        assertEquals(150, iris.rows());
        assertEquals(3, iris.species().size());
    }
}
