package dev.handnet.data;

import java.nio.file.Path;

/** The contents of an IDX file of unsigned bytes: its dimensions and its data, row-major. */
public record IdxFile(Path path, int[] dims, byte[] data) {

    /** The first dimension: how many images or labels. */
    public int count() {
        return dims[0];
    }

    /** Values per item: 28 * 28 for MNIST images, 1 for labels. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) size *= dims[i];
        return size;
    }
}
