package dev.handnet.examples;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

/** Several work matrices at once, for the examples' small hand-written networks. */
final class Matrices {

    private Matrices() {
    }

    /** One zero matrix per {rows, cols}; if an allocation fails, the ones made before it are closed. */
    static Matrix[] allocate(Backend be, int[][] shapes) {
        Matrix[] out = new Matrix[shapes.length];
        try {
            for (int i = 0; i < shapes.length; i++) out[i] = be.allocate(shapes[i][0], shapes[i][1]);
            return out;
        } catch (RuntimeException e) {
            close(out);
            throw e;
        }
    }

    /** Closes each matrix that is not null. */
    static void close(Matrix... matrices) {
        for (Matrix m : matrices) {
            if (m != null) m.close();
        }
    }
}
