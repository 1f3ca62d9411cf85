package dev.handnet.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/** Reads and writes {@link BenchReport} JSON files, handnet's own and the peers'. */
public final class ResultsFile {

    /** What a results file must hold, for error messages. */
    static final String EXPECTED = "expected bench results JSON: {\"tool\": ..., \"gemm\": [...], ...} as handnet bench --json writes";

    /** snake_case keys; absent values left out; unknown keys (a peer's "threads", "versions") ignored on reading. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultsFile() {
    }

    /** Writes report to path, creating its folder. */
    public static void write(BenchReport report, Path path) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            JSON.writeValue(path.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** The report in path; option names where it came from ("--peer") in the one-line error a bad file gives. */
    public static BenchReport read(Path path, String option) {
        BenchReport report;
        try {
            report = JSON.readValue(Files.readAllBytes(path), BenchReport.class);
        } catch (NoSuchFileException e) {
            throw new ResultsFileException(option + " " + path + ": no such file; " + EXPECTED);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            // Jackson names the source as "[Source: REDACTED (...); line: 1, column: 1]": keep the line and column.
            String what = e.getOriginalMessage().replace('\n', ' ').replaceAll("\\[Source: [^;]*; ", "[");
            throw new ResultsFileException(option + " " + path + " is not bench results: " + what
                    + (at != null ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "") + "; " + EXPECTED);
        } catch (IOException e) {
            throw new ResultsFileException(option + " " + path + ": cannot read (" + e.getMessage() + "); " + EXPECTED);
        }
        if (report == null || report.tool() == null || report.gemm().isEmpty()) {
            throw new ResultsFileException(option + " " + path + " has no \"tool\" or no \"gemm\" rows; " + EXPECTED);
        }
        return report;
    }

    /** As {@link #read}, for a file handnet wrote: its "machine" must carry every factor of the peak. */
    public static BenchReport readHandnet(Path path, String option) {
        BenchReport report = read(path, option);
        BenchReport.Machine m = report.machine();
        if (m == null || Stream.of(m.cores(), m.clockGhz(), m.simdLanes(), m.fmaUnits()).anyMatch(Objects::isNull)) {
            throw new ResultsFileException(option + " " + path + " has no \"machine\" with cores, clock_ghz, simd_lanes"
                    + " and fma_units: not handnet bench results");
        }
        return report;
    }

    /** A results file that is missing or not bench results JSON; the message names the file and what was expected. */
    public static final class ResultsFileException extends RuntimeException {
        ResultsFileException(String message) {
            super(message);
        }
    }
}
