package dev.handnet.nn;

/** One epoch: mean training-batch loss, evaluations after it, and seconds spent training. */
public record EpochReport(int epoch, double batchLoss, Evaluation train, Evaluation test, double trainSeconds) {
}
