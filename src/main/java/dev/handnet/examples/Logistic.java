package dev.handnet.examples;

import dev.handnet.cli.Values;
import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * Logistic regression as the deep-learning course's week 2 builds it: one sigmoid neuron
 * a = s(x w + b), cost J = -(1/m) sum [y log a + (1 - y) log(1 - a)], gradients
 * dw = xᵀ (a - y) / m and db = sum (a - y) / m (propagate), gradient descent (optimize),
 * and a threshold at 0.5 (predict). w and b start at 0; learning rate 0.005, 2000 iterations,
 * the cost recorded every 100. The course's cat pictures are not available here, so the task
 * is a real binary one from MNIST: one digit against another (3 against 5 by default).
 *
 * <p>The course lays samples out as columns (X: features x m); handnet's rows are samples,
 * so every product here is the transpose of the course's: z = x w + b with x: (m, 784).
 */
@Command(name = "logistic", mixinStandardHelpOptions = true,
        description = "Logistic regression (one sigmoid neuron, cross-entropy) on two MNIST digits, with the course's checks.")
public final class Logistic implements Callable<Integer> {

    static final double LEARNING_RATE = 0.005;
    static final int ITERATIONS = 2000;

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions options;

    @Option(names = "--digits", split = ",", paramLabel = "A,B", description = "The digit labelled 0 and the digit labelled 1 (default: 3,5).")
    int[] digits = {3, 5};

    @Option(names = "--iterations", converter = Values.Count.class, paramLabel = "N", description = "Gradient descent steps (default: ${DEFAULT-VALUE}).")
    int iterations = ITERATIONS;

    /** The course trains on 209 pictures; 2000 digits keep a run at seconds on the CPU and at a few minutes on PoCL. */
    static final int TRAIN_ROWS = 2000;

    @Option(names = "--limit", converter = Values.Count.class, paramLabel = "ROWS",
            description = "Train on the first ROWS training images of the two digits (default: ${DEFAULT-VALUE}; 11552 for 3,5 is all).")
    int limit = TRAIN_ROWS;

    /** The course's propagate() on its small example: dw, db and the cost. */
    public record Propagation(double[] dw, double db, double cost) {
    }

    /** Costs every 100 iterations (index i for iteration 100 i), accuracies on the training and test images. */
    public record Result(List<Double> costs, double trainAccuracy, double testAccuracy, int trainRows, int testRows) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (digits.length != 2 || digits[0] == digits[1] || IntStream.of(digits).anyMatch(d -> d < 0 || d > 9)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--digits needs two different digits 0-9, e.g. 3,5");
        }
        try (Backend be = options.open()) {
            out.println("logistic on " + be.name());
            printChecks(be, out);
            Mnist.Split mnist = Mnist.load(DataRoot.resolve("mnist"));
            Dataset train = binary(mnist.train(), digits[0], digits[1]);
            Result r = run(be, train.head(limit), binary(mnist.test(), digits[0], digits[1]), iterations, out);
            out.printf(Locale.ROOT, "digit %d (label 0) against %d (label 1): train accuracy %.2f%% of %d, test accuracy %.2f%% of %d%n",
                    digits[0], digits[1], 100 * r.trainAccuracy, r.trainRows, 100 * r.testAccuracy, r.testRows);
        }
        return 0;
    }

    /** The course's unit checks: sigmoid([0, 2]) and propagate on its 2-feature, 3-sample example. */
    static void printChecks(Backend be, PrintWriter out) {
        double[] s = sigmoid(be, new double[] {0, 2});
        out.printf(Locale.ROOT, "sigmoid([0, 2]) = [%.8f, %.8f]   (course: [0.5, 0.88079708])%n", s[0], s[1]);
        Propagation p = propagate(be, new double[] {1, 2}, 2, new double[] {1, 3, 2, 4, -1, -3.2}, 3, new double[] {1, 0, 1});
        out.printf(Locale.ROOT, "propagate: dw = [[%.8f], [%.8f]]  db = %.8f  cost = %s%n", p.dw[0], p.dw[1], p.db, p.cost);
        out.println("   (course: dw = [[0.99845601], [2.39507239]]  db = 0.00145558  cost = 5.801545319394553)");
    }

    static double[] sigmoid(Backend be, double[] z) {
        try (Matrix m = be.upload(1, z.length, z)) {
            be.sigmoid(m, m);
            return be.downloadDoubles(m);
        }
    }

    /**
     * One forward and backward pass. w: (n), b, x: (m, n) row-major, y: (m) of 0/1.
     * a = s(x w + b): (m, 1);  J = -(1/m) sum [y log a + (1 - y) log(1 - a)];
     * dz = (a - y) / m: (m, 1);  dw = xᵀ dz: (n, 1);  db = sum dz.
     */
    public static Propagation propagate(Backend be, double[] w, double b, double[] x, int m, double[] y) {
        int n = w.length;
        try (Model model = new Model(be, n, m);
             Matrix wm = be.upload(n, 1, w);
             Matrix bm = be.upload(1, 1, new double[] {b});
             Matrix xm = be.upload(m, n, x);
             Matrix ym = be.upload(m, 1, y)) {
            double cost = model.propagate(wm, bm, xm, ym);
            return new Propagation(be.downloadDoubles(model.dw), be.downloadDoubles(model.db)[0], cost);
        }
    }

    /** The buffers of one batch size; propagate leaves dw: (n, 1) and db: (1, 1). */
    private static final class Model implements AutoCloseable {
        final Backend be;
        /** a, dz: (m, 1);  dw: (n, 1);  db: (1, 1). */
        final Matrix a, dz, dw, db;

        Model(Backend be, int n, int m) {
            this.be = be;
            Matrix[] all = Matrices.allocate(be, new int[][] {{m, 1}, {m, 1}, {n, 1}, {1, 1}});
            a = all[0];
            dz = all[1];
            dw = all[2];
            db = all[3];
        }

        /** a = s(x w + b): (m, 1). */
        void forward(Matrix w, Matrix b, Matrix x) {
            be.gemm(false, false, 1, x, w, 0, a);
            be.addRowVector(a, b);
            be.sigmoid(a, a);
        }

        /** Forward, cost and gradients; returns the cost. */
        double propagate(Matrix w, Matrix b, Matrix x, Matrix y) {
            forward(w, b, x);
            double cost = be.binaryCrossEntropyLoss(a, y);
            be.mseGradient(a, y, dz);                  // (a - y) / m: dJ/dz for sigmoid + cross-entropy
            be.gemm(true, false, 1, x, dz, 0, dw);
            be.columnSums(dz, db);
            return cost;
        }

        @Override
        public void close() {
            Matrices.close(a, dz, dw, db);
        }
    }

    /**
     * optimize() then predict(): gradient descent from w = 0, b = 0, printing the cost every 100
     * iterations.  train.x: (m, n) with labels 0/1, test.x: (rows, n);  w: (n, 1), b: (1, 1).
     */
    public static Result run(Backend be, Dataset train, Dataset test, int iterations, PrintWriter out) {
        int n = train.features();
        List<Double> costs = new ArrayList<>();
        try (Matrix w = be.allocate(n, 1);
             Matrix b = be.allocate(1, 1);
             Matrix x = be.upload(train.rows(), n, train.x());
             Matrix y = be.upload(train.rows(), 1, Dataset.labelColumn(train.labels()));
             Model model = new Model(be, n, train.rows())) {
            for (int i = 0; i < iterations; i++) {
                double cost = model.propagate(w, b, x, y);
                be.axpy(-LEARNING_RATE, model.dw, w);
                be.axpy(-LEARNING_RATE, model.db, b);
                if (i % 100 == 0) {
                    costs.add(cost);
                    out.printf(Locale.ROOT, "Cost after iteration %d: %f%n", i, cost);
                }
            }
            return new Result(costs, accuracy(be, w, b, train), accuracy(be, w, b, test), train.rows(), test.rows());
        }
    }

    /** predict(): the share of rows where (a > 0.5) equals the label.  w: (n, 1), b: (1, 1), data.x: (rows, n). */
    private static double accuracy(Backend be, Matrix w, Matrix b, Dataset data) {
        try (Matrix x = be.upload(data.rows(), data.features(), data.x());
             Model model = new Model(be, data.features(), data.rows())) {
            model.forward(w, b, x);
            double[] a = be.downloadDoubles(model.a);
            int correct = 0;
            for (int r = 0; r < a.length; r++) correct += (a[r] > 0.5 ? 1 : 0) == data.labels()[r] ? 1 : 0;
            return (double) correct / data.rows();
        }
    }

    /** The rows of digit a (label 0) and digit b (label 1), in their original order. */
    static Dataset binary(Dataset d, int a, int b) {
        int[] rows = IntStream.range(0, d.rows()).filter(r -> d.labels()[r] == a || d.labels()[r] == b).toArray();
        float[] x = new float[rows.length * d.features()];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(d.x(), rows[i] * d.features(), x, i * d.features(), d.features());
            y[i] = d.labels()[rows[i]] == b ? 1 : 0;
        }
        return new Dataset(d.name() + " " + a + " vs " + b, x, rows.length, d.features(), y, 2);
    }
}
