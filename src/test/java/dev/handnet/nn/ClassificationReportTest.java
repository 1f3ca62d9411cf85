package dev.handnet.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Precision, recall and F1 worked by hand on six rows of three classes. */
class ClassificationReportTest {

    // true 0 0 1 1 2 2, predicted 0 1 1 1 2 0: confusion [[1,1,0],[0,2,0],[1,0,1]]
    private static final int[] LABELS = {0, 0, 1, 1, 2, 2};
    private static final int[] PREDICTED = {0, 1, 1, 1, 2, 0};
    private static final float[] P = {
            0.8f, 0.1f, 0.1f,
            0.3f, 0.6f, 0.1f,   // a 0 read as 1 with 0.6
            0.1f, 0.8f, 0.1f,
            0.2f, 0.7f, 0.1f,
            0.1f, 0.1f, 0.8f,
            0.9f, 0.0f, 0.1f};  // a 2 read as 0 with 0.9

    @Test
    void theMeasuresAreTheTextbookOnes() {
        ClassificationReport r = ClassificationReport.of(3, LABELS, PREDICTED, P);
        assertArrayEquals(new int[] {1, 1, 0}, r.confusion()[0]);
        assertArrayEquals(new int[] {1, 0, 1}, r.confusion()[2]);
        assertEquals(0.5, r.precision(0), 1e-12);     // predicted 0: rows 0 and 5, one right
        assertEquals(0.5, r.recall(0), 1e-12);
        assertEquals(2.0 / 3, r.precision(1), 1e-12); // predicted 1: rows 1, 2, 3
        assertEquals(1.0, r.recall(1), 1e-12);
        assertEquals(0.8, r.f1(1), 1e-12);            // 2 (2/3)(1) / (2/3 + 1)
        assertEquals(1.0, r.precision(2), 1e-12);
        assertEquals(2.0 / 3, r.f1(2), 1e-12);        // 2 (1)(1/2) / (3/2)
        assertEquals(4.0 / 6, r.accuracy(), 1e-12);
        assertEquals(List.of(new ClassificationReport.Mistake(5, 2, 0, 0.9f, 0.1f), new ClassificationReport.Mistake(1, 0, 1, 0.6f, 0.3f)),
                r.mistakes(), "most confident first");
    }

    @Test
    void theTextHasTheTableTheAveragesAndTheMistakes() {
        String text = ClassificationReport.of(3, LABELS, PREDICTED, P).format(1);
        assertTrue(text.contains("           1     0.6667     1.0000     0.8000          2"), text);
        assertTrue(text.contains("   macro avg     0.7222     0.6667     0.6556          6"), text);
        assertTrue(text.contains("2 misclassified; the 1 most confident mistakes:"), text);
        assertTrue(text.contains("       5      2          0         90.0%    10.0%"), text);
    }

    @Test
    void aClassNeverPredictedHasPrecisionZeroNotNaN() {
        ClassificationReport r = ClassificationReport.of(2, new int[] {0, 1}, new int[] {0, 0}, new float[] {1, 0, 1, 0});
        assertEquals(0, r.precision(1));
        assertEquals(0, r.f1(1));
    }
}
