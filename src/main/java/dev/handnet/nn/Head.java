package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

/**
 * The output end of a network: turns the last layer's logits z into outputs y, scores them
 * against targets t, and gives the update dZ that backprop starts from. All (m, n).
 */
public enum Head {

    /** y = sigmoid(z);  L = (1/2m) sum (y - t)^2;  dL/dz = (y - t)/m * y (1 - y). */
    MSE {
        @Override
        void forward(Backend be, Matrix z, Matrix y) {
            be.sigmoid(z, y);
        }

        @Override
        void loss(Backend be, Matrix y, Matrix t, Matrix losses, int at) {
            be.mseLoss(y, t, losses, at);
        }

        @Override
        void backward(Backend be, Matrix y, Matrix t, Matrix dZ) {
            be.mseGradient(y, t, dZ);
            be.sigmoidGradient(dZ, y, dZ);
        }
    },

    /**
     * A linear output for regression: y = z;  L = (1/2m) sum (y - t)^2;  dL/dz = (y - t)/m.
     * The network keeps y and z in one buffer, as it does for identity layers.
     */
    LINEAR {
        @Override
        void forward(Backend be, Matrix z, Matrix y) {
            if (z != y) throw new IllegalStateException("the linear head expects one buffer for z and y");
        }

        @Override
        void loss(Backend be, Matrix y, Matrix t, Matrix losses, int at) {
            be.mseLoss(y, t, losses, at);
        }

        @Override
        void backward(Backend be, Matrix y, Matrix t, Matrix dZ) {
            be.mseGradient(y, t, dZ);
        }
    },

    /** y = softmax(z) per row;  L = -(1/m) sum t log y;  dL/dz = (y - t)/m (rows of t sum to 1). */
    CE {
        @Override
        void forward(Backend be, Matrix z, Matrix y) {
            be.softmaxRows(z, y);
        }

        @Override
        void loss(Backend be, Matrix y, Matrix t, Matrix losses, int at) {
            be.crossEntropyLoss(y, t, losses, at);
        }

        @Override
        void backward(Backend be, Matrix y, Matrix t, Matrix dZ) {
            be.softmaxCrossEntropyGradient(y, t, dZ);
        }

        /** The three in one op: one pass over the rows, one kernel on a device. */
        @Override
        void forwardLossBackward(Backend be, Matrix z, Matrix y, Matrix t, Matrix dZ, Matrix losses, int at) {
            be.softmaxCrossEntropy(z, t, y, dZ, losses, at);
        }
    },

    /**
     * The MNIST tutorial's head: s = sigmoid(z), y = s / rowsum(s), L = (1/2m) sum (y - t)^2,
     * and its update dZ = (y - t)/m * y (1 - y). That is the sigmoid+MSE chain rule with y in
     * place of s, and not the exact gradient of L: it leaves out the normalisation's Jacobian
     * (d y_j / d s_k = (delta_jk - y_j) / rowsum(s)). Kept on purpose, because it is what the
     * tutorial trains with; {@code handnet gradcheck} measures how far it is from dL/dz.
     *
     * <p>y is computed as softmax(log s): the same numbers, but when every output of a row
     * saturates (z below about -88), float32 s underflows to 0 and s / rowsum(s) would be 0/0.
     * The tutorial's float64 numpy is safe down to z = -745; its normalisation lets z drift
     * that low, and in float32 the plain formula turned a run to NaN after 15 epochs.
     */
    TUTORIAL {
        @Override
        void forward(Backend be, Matrix z, Matrix y) {
            be.logSigmoid(z, y);
            be.softmaxRows(y, y);
        }

        @Override
        void loss(Backend be, Matrix y, Matrix t, Matrix losses, int at) {
            MSE.loss(be, y, t, losses, at);
        }

        @Override
        void backward(Backend be, Matrix y, Matrix t, Matrix dZ) {
            MSE.backward(be, y, t, dZ);
        }
    };

    /** z: (m, n) logits  ->  y: (m, n) outputs. */
    abstract void forward(Backend be, Matrix z, Matrix y);

    /** losses[0, at] += the mean loss over the m rows.  losses: (1, k). */
    abstract void loss(Backend be, Matrix y, Matrix t, Matrix losses, int at);

    /** y, t: (m, n)  ->  dZ: (m, n), the update backprop starts from. */
    abstract void backward(Backend be, Matrix y, Matrix t, Matrix dZ);

    /** A training step's head: forward z -> y, the loss into losses[0, at], backward y, t -> dZ. All (m, n) but losses: (1, k). */
    void forwardLossBackward(Backend be, Matrix z, Matrix y, Matrix t, Matrix dZ, Matrix losses, int at) {
        forward(be, z, y);
        loss(be, y, t, losses, at);
        backward(be, y, t, dZ);
    }

    /**
     * Outputs y: (rows, classes) row-major, as probabilities in place: the softmax head's already
     * are; sigmoid outputs (mse, tutorial) are scaled to sum to 1 per row, which keeps their order.
     */
    public void toProbabilities(float[] y, int classes) {
        if (this == CE) return;
        for (int r = 0; r < y.length / classes; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += y[r * classes + c];
            if (!(sum > 0)) continue;
            for (int c = 0; c < classes; c++) y[r * classes + c] /= (float) sum;
        }
    }
}
