package dev.handnet.nn;

import dev.handnet.backend.DeviceException;

/**
 * Training stopped because the device failed (an OpenCL error, a device lost, a buffer larger
 * than it allows): the device's one-line message with the epoch and batch where the failure
 * surfaced. A device reports some errors a few ops after the one that caused them, at the next
 * wait for it. Thrown before the epoch is reported, so a checkpoint saved after each epoch keeps
 * the last good weights; never answered by switching devices.
 */
public final class DeviceFailedException extends DeviceException {

    private final int epoch, batch, batches;

    /** epoch: 1-based, 0 when not known yet; batch: 1-based, 0 for after the last batch (its loss read, the evaluation). */
    DeviceFailedException(int epoch, int batch, int batches, Throwable cause) {
        super("the device failed in " + (epoch > 0 ? "epoch " + epoch + ", " : "")
                + (batch > 0 ? "batch " + batch + " of " + batches : "after its last batch") + ": " + cause.getMessage(), cause);
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
    }

    public int epoch() {
        return epoch;
    }

    /** 1-based; 0: after the last batch (reading the epoch's losses, or the evaluation). */
    public int batch() {
        return batch;
    }

    public int batches() {
        return batches;
    }
}
