package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.data.Dataset;

/** A dataset uploaded once: inputs x: (rows, features) and one-hot targets t: (rows, classes). */
public record DeviceData(Matrix x, Matrix t) implements AutoCloseable {

    public static DeviceData upload(Backend be, Dataset d) {
        Matrix x = be.upload(d.rows(), d.features(), d.x());
        return new DeviceData(x, be.upload(d.rows(), d.classes(), d.oneHot()));
    }

    public int rows() {
        return x.rows();
    }

    @Override
    public void close() {
        x.close();
        t.close();
    }
}
