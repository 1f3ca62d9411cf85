package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded training run for the determinism tests: initial weights and batch order from one
 * {@link Random}, whole epochs through {@link Trainer#epoch}, then an evaluation of the training
 * rows (whose 1000-row forward passes use every thread the backend has). The result holds the
 * bits of everything the run produced, so two results can be compared exactly.
 */
public final class SeededTraining {

    /**
     * What a run leaves: each parameter's downloaded values (float32 bits, or float64 bits at
     * float64 widened by {@link Backend#downloadDoubles}), each epoch's mean batch loss, and the
     * final evaluation.
     */
    public record Outcome(String backend, List<double[]> parameters, double[] epochLosses, Evaluation evaluation) {
    }

    /** One recipe: the network, how its parameters start, and how it is trained. */
    public record Recipe(String name, Architecture arch, WeightInit init, double biasInit, TrainConfig config, long seed) {
    }

    private SeededTraining() {
    }

    public static Outcome run(Backend be, Dataset train, Recipe r) {
        Random rng = new Random(r.seed());
        double[] losses = new double[r.config().epochs()];
        try (Mlp net = Mlp.initialize(be, r.arch(), r.init(), r.biasInit(), rng);
             DeviceData data = DeviceData.upload(be, train);
             Trainer trainer = new Trainer(net)) {
            for (int e = 0; e < losses.length; e++) losses[e] = trainer.epoch(data, r.config(), rng, (done, total, loss) -> { });
            Evaluation eval = trainer.evaluate(data);
            List<double[]> ps = new ArrayList<>();
            for (Parameter p : net.parameters()) ps.add(be.downloadDoubles(p.value()));
            return new Outcome(be.name(), ps, losses, eval);
        }
    }

    /** Fails unless b is bit for bit a (every weight, every epoch loss, the evaluation), naming the first difference and how many. */
    public static void assertBitIdentical(Outcome a, Outcome b, String what) {
        String context = what + ": " + a.backend() + " against " + b.backend();
        assertEquals(a.parameters().size(), b.parameters().size(), context);
        for (int p = 0; p < a.parameters().size(); p++) {
            double[] x = a.parameters().get(p), y = b.parameters().get(p);
            assertEquals(x.length, y.length, context);
            int differ = 0, first = -1;
            double largest = 0;
            for (int i = 0; i < x.length; i++) {
                if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                    if (first < 0) first = i;
                    differ++;
                    largest = Math.max(largest, Math.abs(x[i] - y[i]));
                }
            }
            if (differ > 0) {
                fail(context + ": parameter " + p + " differs in " + differ + " of " + x.length + " entries, first at "
                        + first + " (" + x[first] + " against " + y[first] + "), largest difference " + largest);
            }
        }
        for (int e = 0; e < a.epochLosses().length; e++) {
            assertEquals(Double.doubleToRawLongBits(a.epochLosses()[e]), Double.doubleToRawLongBits(b.epochLosses()[e]),
                    context + ": mean batch loss of epoch " + (e + 1) + ", " + a.epochLosses()[e] + " against " + b.epochLosses()[e]);
        }
        assertEquals(a.evaluation().correct(), b.evaluation().correct(), context + ": correct rows");
        assertEquals(Double.doubleToRawLongBits(a.evaluation().loss()), Double.doubleToRawLongBits(b.evaluation().loss()),
                context + ": evaluation loss, " + a.evaluation().loss() + " against " + b.evaluation().loss());
    }
}
