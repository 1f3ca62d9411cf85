package dev.handnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A machine without OpenCL, made by pointing the ICD loader at an empty vendors folder in a
 * child JVM (or really without it, where libOpenCL.so is missing): devices explains what to
 * install, auto falls back to the CPU and says so, and an explicit opencl is a one-line error.
 */
class NoOpenClTest {

    @TempDir
    Path emptyVendors;

    record Run(int code, String output) {
    }

    private Run handnet(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HandnetCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        pb.environment().remove("HANDNET_DEVICE");
        pb.environment().remove("OCL_ICD_FILENAMES");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }

    @Test
    void devicesExplainsHowToGetOpenCl() throws Exception {
        Run r = handnet("devices");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("* cpu"), r.output());
        assertTrue(r.output().contains("pocl-opencl-icd"), r.output());
    }

    @Test
    void autoFallsBackToTheCpuAndAnExplicitOpenClIsAnError() throws Exception {
        Run auto = handnet("gradcheck", "--device", "auto");
        assertEquals(0, auto.code(), auto.output());
        assertTrue(auto.output().contains("device auto: ") && auto.output().contains("; using the CPU backend"),
                auto.output());
        Run explicit = handnet("gradcheck", "--device", "opencl");
        assertEquals(1, explicit.code(), explicit.output());
        assertTrue(explicit.output().contains("pocl-opencl-icd"), explicit.output());
        assertEquals(1, explicit.output().lines().filter(l -> l.startsWith("handnet gradcheck: error:")).count(),
                explicit.output());
        assertTrue(!explicit.output().contains("at org.jocl"), explicit.output());
    }
}
