package dev.handnet.nn;

import java.util.Locale;

/**
 * Training stopped because a number stopped being finite: the loss (the learning rate is too
 * large, or an option made the start non-finite), or with {@code --nan-check} the first
 * activation, gradient or parameter that did. Thrown before the epoch is reported, so a
 * checkpoint saved after each epoch keeps the last good weights.
 */
public final class DivergedException extends RuntimeException {

    private final int epoch, batch, batches;
    private final String what;
    private final double learningRate;

    /** A batch loss (or the evaluation's) that is NaN or infinite. */
    DivergedException(int epoch, int batch, int batches, double loss, double learningRate) {
        this(epoch, batch, batches, "the loss became " + loss, learningRate);
    }

    /**
     * epoch: 1-based, 0 when not known yet; batch: 1-based, 0 for the evaluation after the last
     * batch; what: what became non-finite ("the loss became NaN", "z1 ... became Infinity").
     */
    DivergedException(int epoch, int batch, int batches, String what, double learningRate) {
        super(String.format(Locale.ROOT, "%s in %s%s (learning rate %s); try a lower --lr",
                what, epoch > 0 ? "epoch " + epoch + ", " : "",
                batch > 0 ? "batch " + batch + " of " + batches : "the evaluation after its last batch", learningRate));
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
        this.what = what;
        this.learningRate = learningRate;
    }

    /** The same fault, now that the epoch it happened in is known. */
    DivergedException inEpoch(int e) {
        return new DivergedException(e, batch, batches, what, learningRate);
    }

    public int epoch() {
        return epoch;
    }

    /** 1-based; 0: the losses were finite but the evaluation after the epoch was not. */
    public int batch() {
        return batch;
    }

    public int batches() {
        return batches;
    }

    /** What became non-finite, e.g. "the loss became NaN". */
    public String what() {
        return what;
    }
}
