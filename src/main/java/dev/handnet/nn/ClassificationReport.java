package dev.handnet.nn;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How a classifier did on a labelled set, as scikit-learn's classification_report and
 * confusion_matrix put it: per class precision (of the rows predicted as the class, the share
 * that are), recall (of the rows of the class, the share found) and F1 (their harmonic mean),
 * their macro and support-weighted averages, the confusion counts, and the most confident
 * mistakes.
 */
public record ClassificationReport(int classes, int[][] confusion, List<Mistake> mistakes) {

    /** A misclassified row: its index, true and predicted class, and the probabilities of both. */
    public record Mistake(int row, int truth, int predicted, double pPredicted, double pTruth) {
    }

    /** The report of a classifier that predicts each row's most probable class; probabilities: (rows, classes) row-major. */
    public static ClassificationReport of(int classes, int[] labels, float[] probabilities) {
        int[] best = new int[labels.length];
        for (int r = 0; r < best.length; r++) {
            for (int c = 1; c < classes; c++) {
                if (probabilities[r * classes + c] > probabilities[r * classes + best[r]]) best[r] = c;
            }
        }
        return of(classes, labels, best, probabilities);
    }

    /** A trained network's report on a labelled set: its outputs as probabilities (the head's), argmax predictions. */
    public static ClassificationReport of(Trainer evaluator, Head head, DeviceData data, int[] labels, int classes) {
        float[] p = evaluator.outputs(data);  // (rows, classes)
        head.toProbabilities(p, classes);
        return of(classes, labels, p);
    }

    /** labels and predicted: one per row; probabilities: (rows, classes) row-major. */
    public static ClassificationReport of(int classes, int[] labels, int[] predicted, float[] probabilities) {
        int[][] confusion = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) confusion[labels[i]][predicted[i]]++;
        List<Mistake> mistakes = IntStream.range(0, labels.length).filter(i -> labels[i] != predicted[i])
                .mapToObj(i -> new Mistake(i, labels[i], predicted[i], probabilities[i * classes + predicted[i]],
                        probabilities[i * classes + labels[i]]))
                .sorted(Comparator.comparingDouble(Mistake::pPredicted).reversed().thenComparingInt(Mistake::row))
                .toList();
        return new ClassificationReport(classes, confusion, mistakes);
    }

    /** Rows of class c. */
    public int support(int c) {
        return IntStream.of(confusion[c]).sum();
    }

    /** Rows predicted as c. */
    private int predictedAs(int c) {
        return IntStream.range(0, classes).map(t -> confusion[t][c]).sum();
    }

    /** Of the rows predicted as c, the share that are c; 0 when none is. */
    public double precision(int c) {
        int p = predictedAs(c);
        return p == 0 ? 0 : (double) confusion[c][c] / p;
    }

    /** Of the rows of class c, the share predicted as c; 0 when there are none. */
    public double recall(int c) {
        int s = support(c);
        return s == 0 ? 0 : (double) confusion[c][c] / s;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public int rows() {
        return IntStream.range(0, classes).map(this::support).sum();
    }

    public double accuracy() {
        return rows() == 0 ? 0 : (double) IntStream.range(0, classes).map(c -> confusion[c][c]).sum() / rows();
    }

    /** The per-class table with its averages, then the confusion matrix, then the worst mistakes. */
    public String format(int worst) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%12s %10s %10s %10s %10s%n", "", "precision", "recall",
                "f1-score", "support"));
        double[] macro = new double[3], weighted = new double[3];
        for (int c = 0; c < classes; c++) {
            double[] m = {precision(c), recall(c), f1(c)};
            s.append(String.format(Locale.ROOT, "%12d %10.4f %10.4f %10.4f %10d%n", c, m[0], m[1], m[2], support(c)));
            for (int k = 0; k < 3; k++) {
                macro[k] += m[k] / classes;
                weighted[k] += m[k] * support(c) / Math.max(1, rows());
            }
        }
        s.append(String.format(Locale.ROOT, "%n%12s %10s %10s %10.4f %10d%n", "accuracy", "", "", accuracy(), rows()));
        s.append(String.format(Locale.ROOT, "%12s %10.4f %10.4f %10.4f %10d%n", "macro avg", macro[0], macro[1], macro[2], rows()));
        s.append(String.format(Locale.ROOT, "%12s %10.4f %10.4f %10.4f %10d%n%n", "weighted avg", weighted[0], weighted[1], weighted[2],
                rows()));
        s.append("confusion matrix (rows: true class, columns: predicted)\n").append(String.format(Locale.ROOT, "%9s", "true\\pred"));
        for (int c = 0; c < classes; c++) s.append(String.format(Locale.ROOT, "%6d", c));
        s.append('\n');
        for (int t = 0; t < classes; t++) {
            s.append(String.format(Locale.ROOT, "%9d", t));
            for (int c = 0; c < classes; c++) s.append(String.format(Locale.ROOT, "%6d", confusion[t][c]));
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "%n%d misclassified; the %d most confident mistakes:%n", mistakes.size(),
                Math.min(worst, mistakes.size())));
        s.append(String.format(Locale.ROOT, "%8s %6s %10s %13s %8s%n", "row", "true", "predicted", "p(predicted)", "p(true)"));
        for (Mistake m : mistakes.subList(0, Math.min(worst, mistakes.size()))) {
            s.append(String.format(Locale.ROOT, "%8d %6d %10d %12.1f%% %7.1f%%%n", m.row(), m.truth(), m.predicted(),
                    100 * m.pPredicted(), 100 * m.pTruth()));
        }
        return s.toString();
    }
}
