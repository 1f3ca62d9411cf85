package dev.handnet.nn;

/** One epoch: mean training-batch loss, evaluations after it, and seconds spent training and evaluating, apart. */
public record EpochReport(int epoch, double batchLoss, Evaluation train, Evaluation test, double trainSeconds,
                          double evalSeconds) {
}
