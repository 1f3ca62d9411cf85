package dev.handnet;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * What a model says about one input: its class and the probability it gives every class. With a
 * softmax (cross-entropy) head these are the softmax; with a sigmoid head (mse, tutorial) the
 * sigmoid outputs scaled to sum to 1, which ranks the classes the same way.
 */
public record Prediction(int label, double[] probabilities) {

    /** The k most probable classes, most probable first. */
    public int[] top(int k) {
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[c]))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** The probability of the predicted class. */
    public double confidence() {
        return probabilities[label];
    }

    @Override
    public String toString() {
        return "Prediction[label=" + label + ", probabilities=" + Arrays.toString(probabilities) + "]";
    }
}
