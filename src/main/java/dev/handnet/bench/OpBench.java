package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.bench.BenchReport.OpRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleBiFunction;

/**
 * GB/s of every elementwise, row and reduction op of the Backend: bytes each call must read and
 * write at the least (float32 elements and int indices, 4 bytes each) over its seconds. A new op
 * is one line in {@link #OPS}.
 */
final class OpBench {

    /** (rows, cols) an op runs at. */
    record Size(int rows, int cols) {
    }

    /** Elements one call reads and writes at (rows, cols). */
    interface Traffic {
        long elements(long rows, long cols);
    }

    /** One Backend op: its name, the sizes it runs at, its traffic, and one call on the operands (its result, or 0). */
    record Op(String name, List<Size> sizes, Traffic traffic, ToDoubleBiFunction<Backend, Operands> call) {
    }

    /** Hidden-layer activations of a tutorial batch (1000) and a modern batch (32): what the elementwise ops see in training. */
    static final List<Size> ACTIVATIONS = List.of(new Size(1000, 100), new Size(32, 100));

    /** Input batches gathered from the (60000, 784) training set. */
    static final List<Size> INPUTS = List.of(new Size(1000, 784), new Size(32, 784));

    /** Bytes of a float32 element and of an int index. */
    private static final int ELEMENT_BYTES = Float.BYTES;

    /** A small axpy step, as SGD takes: repeated calls leave out near its start. */
    private static final double AXPY_ALPHA = -1e-3;

    static final List<Op> OPS = List.of(
            op("addRowVector", ACTIVATIONS, (r, c) -> 2 * r * c + c, (be, o) -> be.addRowVector(o.out, o.bias)),
            op("sigmoid", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.sigmoid(o.z, o.out)),
            op("biasSigmoid", ACTIVATIONS, (r, c) -> 2 * r * c + c, (be, o) -> be.biasSigmoid(o.z, o.bias, o.out)),
            op("sigmoidGradient", ACTIVATIONS, (r, c) -> 3 * r * c, (be, o) -> be.sigmoidGradient(o.z, o.p, o.out)),
            op("softmaxRows", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.softmaxRows(o.z, o.out)),
            op("logSigmoid", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.logSigmoid(o.z, o.out)),
            op("mseLoss", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.mseLoss(o.p, o.t, o.losses, 0)),
            op("mseGradient", ACTIVATIONS, (r, c) -> 3 * r * c, (be, o) -> be.mseGradient(o.p, o.t, o.out)),
            op("crossEntropyLoss", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.crossEntropyLoss(o.p, o.t, o.losses, 0)),
            op("binaryCrossEntropyLoss", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.binaryCrossEntropyLoss(o.p, o.t, o.losses, 0)),
            op("softmaxCrossEntropyGradient", ACTIVATIONS, (r, c) -> 3 * r * c, (be, o) -> be.softmaxCrossEntropyGradient(o.p, o.t, o.out)),
            op("softmaxCrossEntropy", ACTIVATIONS, (r, c) -> 4 * r * c, (be, o) -> be.softmaxCrossEntropy(o.z, o.t, o.out, o.out2, o.losses, 0)),
            op("columnSums", ACTIVATIONS, (r, c) -> r * c + c, (be, o) -> be.columnSums(o.z, o.sums)),
            op("axpy", ACTIVATIONS, (r, c) -> 3 * r * c, (be, o) -> be.axpy(AXPY_ALPHA, o.z, o.out)),
            op("gatherRows", INPUTS, (r, c) -> 2 * r * c + r, (be, o) -> be.gatherRows(o.source(), o.indices, 0, o.out)),
            result("argmaxRows", ACTIVATIONS, (r, c) -> r * c + r, (be, o) -> be.argmaxRows(o.z)[0]),
            result("countCorrect", ACTIVATIONS, (r, c) -> 2 * r * c, (be, o) -> be.countCorrect(o.p, o.t)));

    /** Fixed operands, so reruns see the same values. */
    private static final long SEED = 2;

    /** Where results go, so that no JIT drops a loss or count as unused. */
    private static volatile double sink;

    private OpBench() {
    }

    /** An op that writes into a matrix. */
    private static Op op(String name, List<Size> sizes, Traffic traffic, BiConsumer<Backend, Operands> call) {
        return new Op(name, sizes, traffic, (be, o) -> {
            call.accept(be, o);
            return 0;
        });
    }

    /** An op that returns its result to the host: a loss, a count, the argmaxes. */
    private static Op result(String name, List<Size> sizes, Traffic traffic, ToDoubleBiFunction<Backend, Operands> call) {
        return new Op(name, sizes, traffic, call);
    }

    /** One row per op and size, in table order. */
    static List<OpRow> run(Backend be, String device, BestOf timer) {
        Random random = new Random(SEED);
        Map<Size, Operands> operands = new LinkedHashMap<>();
        List<OpRow> rows = new ArrayList<>();
        try {
            for (Op op : OPS) {
                for (Size s : op.sizes()) {
                    Operands o = operands.computeIfAbsent(s, size -> new Operands(be, size.rows(), size.cols(), random));
                    double seconds = timer.seconds(be, () -> sink = op.call().applyAsDouble(be, o));
                    long bytes = op.traffic().elements(s.rows(), s.cols()) * ELEMENT_BYTES;
                    rows.add(new OpRow(device, op.name(), s.rows(), s.cols(), bytes, seconds, bytes / seconds / 1e9));
                }
            }
        } finally {
            operands.values().forEach(Operands::close);
        }
        return rows;
    }
}
