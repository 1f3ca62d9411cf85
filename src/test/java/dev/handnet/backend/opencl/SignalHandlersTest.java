package dev.handnet.backend.opencl;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM keeps its own SIGSEGV (and SIGBUS, SIGFPE, SIGILL) handlers after an OpenCL driver
 * is loaded. PoCL calls {@code llvm::sys::RemoveFileOnSignal} while it sets up its CPU device
 * (inside clGetDeviceIDs), and LLVM then installs one-shot handlers (SA_RESETHAND) over the
 * JVM's for every fatal signal. The JVM takes a SIGSEGV at each safepoint poll in compiled
 * code, so when two threads hit one at the same moment, the second found the default action,
 * and the JVM died of SIGSEGV (exit 139, "segfault at ... error 4" in dmesg). With the JVM's
 * signal chaining library ({@code $JAVA_HOME/lib/libjsig.so} in LD_PRELOAD, as ./handnet,
 * scripts/gpu-check and the Surefire configuration set it) the JVM's handlers stay installed
 * and call LLVM's for signals that are not the JVM's own. Fails without libjsig on a driver
 * that replaces the handlers (PoCL), unless a SIGSEGV had already made LLVM put them back.
 */
class SignalHandlersTest {

    private static final List<String> JVM_SIGNALS = List.of("SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL");

    @Test
    void theJvmStillHandlesSegvAfterOpenClIsLoaded() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "signal chaining via LD_PRELOAD is Linux's");
        OpenClTestDevice.get();   // loads the driver and sets up its devices, as every OpenCL command does
        String info = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        List<String> replaced = new ArrayList<>();
        for (String line : info.lines().toList()) {
            String t = line.trim();
            for (String sig : JVM_SIGNALS) {
                if (t.startsWith(sig + ":") && !t.contains("javaSignalHandler")) replaced.add(t);
            }
        }
        // Under libjsig, VM.info reports the handler that LLVM asked for (libjsig keeps it for chaining
        // and answers sigaction queries with it), not the one the kernel has, which stays the JVM's.
        boolean chained = Files.readString(Path.of("/proc/self/maps")).contains("/libjsig.so");
        assertTrue(chained || replaced.isEmpty(), "a native library replaced the JVM's signal handlers, so a safepoint poll "
                + "can kill the JVM; run java with LD_PRELOAD=" + System.getProperty("java.home")
                + "/lib/libjsig.so (LD_PRELOAD now: " + System.getenv("LD_PRELOAD") + "):\n" + String.join("\n", replaced));
    }
}
