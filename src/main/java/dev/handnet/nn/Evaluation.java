package dev.handnet.nn;

/** Mean loss and count of correct argmax predictions over a set of rows. */
public record Evaluation(double loss, int correct, int rows) {

    public double accuracy() {
        return rows == 0 ? 0 : (double) correct / rows;
    }
}
