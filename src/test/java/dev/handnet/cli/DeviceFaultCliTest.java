package dev.handnet.cli;

import dev.handnet.backend.FaultyBackend;
import dev.handnet.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device faults in {@code handnet train}, injected by {@link FaultyBackend} (--device
 * faulty:...): each ends with exit code 1 and one line naming the failure, where it happened and
 * which checkpoint is left, and the checkpoint of the last finished epoch stays as it was.
 */
class DeviceFaultCliTest {

    @TempDir
    Path dir;

    /** 500 rows in batches of 32: 16 batches an epoch. */
    private static CliEndToEndTest.Run train(String device, int epochs, Path save, String... more) {
        String[] args = {"train", "--device", device, "--limit", "500", "--epochs", String.valueOf(epochs), "--save",
                save.toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return handnet(all);
    }

    /** Ops of a clean run of the given epochs on faulty:cpu (the fault never strikes). */
    private long opsOfACleanRun(int epochs) {
        CliEndToEndTest.Run run = train("faulty:cpu:lost-after=" + Long.MAX_VALUE, epochs, dir.resolve("clean" + epochs + ".hnet"));
        assertEquals(0, run.code(), run.err());
        return FaultyBackend.last().ops();
    }

    private static void assertOneLine(String err) {
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("handnet train: error: "), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
    }

    /** A backend added through the classpath (the tests register faulty) is listed by devices, with its description. */
    @Test
    void devicesListsABackendAddedThroughTheClasspath() {
        CliEndToEndTest.Run run = handnet("devices");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.contains("faulty") && l.contains("injected device fault")
                && l.contains("--device faulty")), run.out());
    }

    @Test
    void aDeviceLostInTheThirdEpochLeavesTheSecondEpochsCheckpoint() throws IOException {
        long one = opsOfACleanRun(1), two = opsOfACleanRun(2);
        long lostAfter = two + (two - one) / 2;   // halfway through epoch 3
        Path model = dir.resolve("m.hnet");
        CliEndToEndTest.Run run = train("faulty:cpu:lost-after=" + lostAfter, 5, model);
        assertEquals(1, run.code(), run.out() + run.err());
        String err = run.err();
        assertOneLine(err);
        assertTrue(err.matches("handnet train: error: the device failed in epoch 3, batch \\d+ of 16: OpenCL error "
                + "CL_DEVICE_NOT_AVAILABLE on faulty.* in \\w+: the device was lost or reset; .*--device cpu; "
                + "the last checkpoint, " + java.util.regex.Pattern.quote(model.toString()) + " \\(epoch 2\\), is intact\\s*"), err);
        assertTrue(run.out().contains("epoch   2/5") && !run.out().contains("epoch   3/5"), run.out());
        // the same weights as a clean 2-epoch run (the metadata differs: that run's total was 2 epochs)
        assertEquals("2", Checkpoint.load(model).metadata().get("epoch"), "the checkpoint is the one epoch 2 saved");
        Checkpoint loaded = Checkpoint.load(model), epoch2 = Checkpoint.load(dir.resolve("clean2.hnet"));
        assertEquals(epoch2.architecture().describe(), loaded.architecture().describe());
        for (int i = 0; i < loaded.parameters().size(); i++) {
            assertArrayEquals(epoch2.parameters().get(i), loaded.parameters().get(i));
        }
    }

    @Test
    void aDeviceLostInTheFirstEpochSavesNothingAndLeavesAnEarlierCheckpointUntouched() throws IOException {
        long one = opsOfACleanRun(1);
        Path model = dir.resolve("first.hnet");
        CliEndToEndTest.Run fresh = train("faulty:cpu:lost-after=" + (one - 40), 3, model);
        assertEquals(1, fresh.code(), fresh.out() + fresh.err());
        assertOneLine(fresh.err());
        assertTrue(fresh.err().contains("the device failed in epoch 1, ")
                && fresh.err().strip().endsWith("no epoch finished, so no checkpoint was saved"), fresh.err());
        assertFalse(Files.exists(model), "no checkpoint file");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
        }

        Files.copy(dir.resolve("clean1.hnet"), model);
        byte[] earlier = Files.readAllBytes(model);
        CliEndToEndTest.Run again = train("faulty:cpu:lost-after=" + (one - 40), 3, model, "--lr", "0.5");
        assertEquals(1, again.code(), again.err());
        assertTrue(again.err().strip().endsWith("no epoch finished; " + model + " from an earlier run is untouched"), again.err());
        assertArrayEquals(earlier, Files.readAllBytes(model));
    }

    @Test
    void aKernelThatFaultsSaysTheDeviceRanOutOfResources() {
        long one = opsOfACleanRun(1);
        CliEndToEndTest.Run run = train("faulty:cpu:resources-after=" + (one + 10), 2, dir.resolve("r.hnet"));
        assertEquals(1, run.code(), run.err());
        assertOneLine(run.err());
        assertTrue(run.err().contains("the device failed in epoch 2, batch 1 of 16: OpenCL error CL_OUT_OF_RESOURCES")
                && run.err().contains("use a smaller --batch") && run.err().contains("(epoch 1), is intact"), run.err());
        CliEndToEndTest.Run verbose = train("faulty:cpu:resources-after=" + (one + 10), 2, dir.resolve("r.hnet"), "--verbose");
        assertTrue(verbose.err().contains("at dev.handnet") && verbose.err().contains("CLException"),
                "the stack trace with --verbose, down to JOCL's exception: " + verbose.err());
    }

    @Test
    void anAllocationAboveTheDeviceLimitNamesTheMatrixAndWhatToDo() {
        CliEndToEndTest.Run run = train("faulty:cpu:alloc-limit=1000000", 1, dir.resolve("a.hnet"));
        assertEquals(1, run.code(), run.err());
        assertOneLine(run.err());
        assertTrue(run.err().contains("cannot allocate a (500, 784) matrix on faulty")
                && run.err().contains("1568000 bytes (1.5 MiB) asked, the device allows at most 1000000 bytes in one buffer")
                && run.err().contains("use a smaller --batch (or --hidden, --limit), or --device cpu"), run.err());
        assertFalse(Files.exists(dir.resolve("a.hnet")));
    }

    @Test
    void aKernelThatDoesNotBuildIsOneLineQuotingItsLog() {
        CliEndToEndTest.Run run = train("faulty:cpu:build-fail", 1, dir.resolve("b.hnet"));
        assertEquals(1, run.code(), run.err());
        assertOneLine(run.err());
        assertTrue(run.err().contains("kernels/elementwise.cl failed to build for faulty cpu")
                && run.err().contains("use of undeclared identifier 'undefined_name'"), run.err());
    }

    /**
     * auto says on the console which device it took, before training; a device lost after training
     * started is an error, never a switch to the CPU: one "device auto:" line, exit code 1.
     */
    @Test
    void autoChoosesBeforeTrainingAndNeverSwitchesAfter() {
        long one = opsOfACleanRun(1);
        PrintStream console = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CliEndToEndTest.Run run;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            run = train("faulty:auto:lost-after=" + (one + 10), 3, dir.resolve("auto.hnet"));
        } finally {
            System.setErr(console);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, logged.lines().filter(l -> l.contains("device auto: ")).count(), logged);
        assertTrue(logged.lines().anyMatch(l -> l.matches("\\[INFO] device auto: (no OpenCL GPU found; using the CPU backend"
                + "|OpenCL unavailable .*; using the CPU backend|using the OpenCL GPU .*)")), logged);
        assertEquals(1, run.code(), run.err());
        assertOneLine(run.err());
        assertTrue(run.err().contains("the device failed in epoch 2, ") && run.err().contains("CL_DEVICE_NOT_AVAILABLE"), run.err());
    }
}
