package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceException;

import java.util.List;

/**
 * A kernel file that did not compile for a device. The message is one line: the file, the
 * device, the options and the first lines of the build log; {@link #buildLog()} has all of it.
 */
public final class KernelBuildException extends DeviceException {

    /** Build-log lines the message quotes. */
    static final int QUOTED_LINES = 3;

    private final String buildLog;

    /** Public so that fault-injecting test backends throw what a real build failure throws. */
    public KernelBuildException(String file, String device, String options, String buildLog, Throwable cause) {
        super("kernels/" + file + " failed to build for " + device + " (options: " + options + "): " + head(buildLog), cause);
        this.buildLog = buildLog;
    }

    /** The first lines of the log that say something (not blank, not a caret under a column), joined by " | ". */
    static String head(String log) {
        List<String> lines = log.lines().map(String::strip).filter(l -> !l.matches("[\\s^~]*")).toList();
        if (lines.isEmpty()) return "(empty build log)";
        String head = String.join(" | ", lines.subList(0, Math.min(QUOTED_LINES, lines.size())));
        return lines.size() <= QUOTED_LINES ? head
                : head + " | ... (" + (lines.size() - QUOTED_LINES) + " more lines; --verbose prints the whole log)";
    }

    /** The whole build log, as the compiler wrote it. */
    public String buildLog() {
        return buildLog;
    }
}
