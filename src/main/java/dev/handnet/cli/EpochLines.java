package dev.handnet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handnet.nn.EpochReport;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code train} prints as it goes: lines for people ({@code --log-format text}), or one JSON
 * object per line for programs ({@code --log-format json}: {"event": "start" | "epoch" | "saved", ...}).
 */
final class EpochLines {

    enum Format { TEXT, JSON }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;
    private final Format format;

    EpochLines(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    boolean json() {
        return format == Format.JSON;
    }

    /** A line of text, or an event with its fields. */
    void event(String event, String text, Map<String, Object> fields) {
        if (format == Format.TEXT) {
            out.println(text);
            return;
        }
        ObjectNode o = JSON.createObjectNode().put("event", event);
        fields.forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
        out.println(o);
    }

    /** Fields in the order given: key, value, key, value, ... */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    void epoch(EpochReport r, int epochs) {
        event("epoch", String.format(Locale.ROOT,
                        "epoch %3d/%d  loss %.6f  train %6.2f%%  test %6.2f%%  test loss %.6f  %5.0f ms (+ %.0f ms eval)",
                        r.epoch(), epochs, r.batchLoss(), 100 * r.train().accuracy(), 100 * r.test().accuracy(),
                        r.test().loss(), 1000 * r.trainSeconds(), 1000 * r.evalSeconds()),
                fields("epoch", r.epoch(), "epochs", epochs, "batch_loss", r.batchLoss(), "train_loss", r.train().loss(),
                        "train_accuracy", r.train().accuracy(), "test_loss", r.test().loss(), "test_accuracy", r.test().accuracy(),
                        "train_seconds", r.trainSeconds(), "eval_seconds", r.evalSeconds()));
    }
}
