package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.cpu.BuggyBackend.Bug;
import dev.handnet.tck.BackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The contract must fail every kind of bug a new backend could have: each {@link Bug} is
 * injected into the CPU backend, the whole contract runs against it (stopping at its first
 * failure), and at least one test must fail. The bug-free backend must pass all of it. The
 * table of which test caught which bug goes to target/contract-catches.md.
 */
class ContractCatchesBugsTest {

    private static final Map<Bug, String> CAUGHT = new TreeMap<>();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Bug.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void theContractFailsABackendWith(Bug bug) {
        Run run = run(bug);
        assertTrue(run.firstFailure != null, bug + " (" + bug.what + ") passed all " + run.tests + " tests of the contract");
        CAUGHT.put(bug, run.firstFailure);
    }

    @Test
    void theContractPassesTheBackendWithoutABug() {
        Run run = run(Bug.NONE);
        assertEquals(null, run.firstFailure, "the bug-free harness failed");
        assertTrue(run.tests > 400, "only " + run.tests + " tests ran");
    }

    @AfterAll
    static void writeTable() throws IOException {
        StringBuilder table = new StringBuilder("| bug | what it does | first test of the contract that fails |\n|---|---|---|\n");
        CAUGHT.forEach((bug, test) -> table.append("| ").append(bug).append(" | ").append(bug.what).append(" | ")
                .append(test.replace("|", "\\|")).append(" |\n"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/contract-catches.md"), table);
    }

    private record Run(int tests, String firstFailure) {
    }

    /** The contract against the backend with bug, up to its first failure. */
    private static Run run(Bug bug) {
        Harness.bug = bug;
        StopAtFirstFailure.failed = false;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Harness.class)).build();
        int[] tests = {0};
        String[] first = {null};
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) return;
                tests[0]++;
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && first[0] == null) {
                    String message = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("");
                    first[0] = id.getDisplayName() + " (" + id.getLegacyReportingName() + "): " + firstLine(message);
                }
            }
        });
        return new Run(tests[0], first[0]);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The contract over {@link BuggyBackend} with the current bug; not run by Surefire itself (a nested class). */
    @ExtendWith(StopAtFirstFailure.class)
    static class Harness extends BackendContract {

        static volatile Bug bug = Bug.NONE;

        @Override
        protected Backend createBackend() {
            return new BuggyBackend(bug);
        }
    }

    /** Skips every test after the first failure: one failure is all a bug needs. */
    static final class StopAtFirstFailure implements ExecutionCondition, TestWatcher {

        static volatile boolean failed;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return failed ? ConditionEvaluationResult.disabled("a test failed already") : ConditionEvaluationResult.enabled("");
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    }
}
