package dev.handnet.nn;

import java.util.Locale;

/**
 * Training stopped because a loss stopped being a finite number (the learning rate is too large,
 * or an option made the start non-finite). Thrown before the epoch is reported, so a checkpoint
 * saved after each epoch keeps the last good weights.
 */
public final class DivergedException extends RuntimeException {

    private final int epoch, batch, batches;
    private final double loss;

    /** epoch: 1-based, 0 when not known yet; batch: 1-based, 0 for the evaluation after the last batch. */
    DivergedException(int epoch, int batch, int batches, double loss, double learningRate) {
        super(String.format(Locale.ROOT, "the loss became %s in %s%s (learning rate %s); try a lower --lr",
                loss, epoch > 0 ? "epoch " + epoch + ", " : "",
                batch > 0 ? "batch " + batch + " of " + batches : "the evaluation after its last batch", learningRate));
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
        this.loss = loss;
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

    /** The first loss that was not finite: NaN or an infinity. */
    public double loss() {
        return loss;
    }
}
