package dev.handnet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's library example, as a reader would paste it: compiled against handnet and run. */
class LibraryExampleTest {

    private static final String MARK = "<!-- library example: LibraryExampleTest compiles and runs this block -->";

    @TempDir
    Path dir;

    @Test
    void theReadmesLibraryExampleCompilesAndReadsTheDigit() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf(MARK);
        assertTrue(at >= 0, "README.md has the marked example");
        String block = readme.substring(readme.indexOf("```java\n", at) + 8, readme.indexOf("```\n", readme.indexOf("```java\n", at) + 8));
        List<String> lines = block.lines().toList();
        String imports = lines.stream().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
        String body = lines.stream().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n        "));
        String source = imports + "\n\npublic class ReadmeExample {\n    public static void main(String[] args) throws Exception {\n        "
                + body + "\n    }\n}\n";
        Path file = dir.resolve("ReadmeExample.java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, null, diagnostics, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(),
                file.toString());
        assertEquals(0, compiled, source + "\n" + diagnostics.toString(StandardCharsets.UTF_8));

        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("ReadmeExample").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8).strip();
        assertTrue(out.matches("a 7, with probability 0\\.\\d{3}"), "docs/digit.png is the test set's first digit, a 7: " + out);
    }
}
