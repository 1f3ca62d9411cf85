package dev.handnet.tck;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

import java.util.List;

/**
 * One call of one {@link Backend} op on one shape, as {@link BackendContract} makes it: the
 * operands with their values before the call and, for those the op writes, what they must hold
 * after it; and what the op returns, for the ops that return something.
 *
 * @param op     the Backend method; the case's name, "op shape...", is given where it is listed ({@link Ops})
 * @param result what call returns: an int[], an Integer, or null for void ops
 */
public record OpCase(String op, List<Operand> operands, Call call, Object result) {

    /** Runs the op on the operands, uploaded in order into m; returns what the op returns, else null. */
    public interface Call {
        Object run(Backend be, Matrix[] m);
    }

    /** How the contract treats an operand. */
    public enum Role {
        /** Read only: must be bit-identical after the call. */
        READ,
        /** Written only: pre-filled with garbage (NaN, huge and odd values), which must not show through. */
        WRITE,
        /** Read and written: x in addRowVector, y in axpy, c in gemm with beta != 0, the losses row, in-place outputs. */
        UPDATE
    }

    /**
     * @param before   the values uploaded, each already a float so every backend holds the same numbers
     * @param after    what a written operand must hold after the call; null for READ
     * @param sumScale for results that are sums (GEMM, column sums): sum of |terms| per entry, the
     *                 scale of {@link BackendContract#gemmTolerance()}; null for elementwise results,
     *                 checked against {@link BackendContract#tolerance()} times max(1, |after|)
     */
    public record Operand(String name, int rows, int cols, Role role, double[] before, double[] after, double[] sumScale) {

        static Operand read(String name, int rows, int cols, double[] values) {
            return new Operand(name, rows, cols, Role.READ, values, null, null);
        }

        static Operand write(String name, int rows, int cols, double[] after) {
            return new Operand(name, rows, cols, Role.WRITE, Inputs.garbage(rows * cols), after, null);
        }

        static Operand update(String name, int rows, int cols, double[] before, double[] after) {
            return new Operand(name, rows, cols, Role.UPDATE, before, after, null);
        }

        /** The same operand with its result checked as a sum of terms whose magnitudes add up to scale. */
        Operand summing(double[] scale) {
            return new Operand(name, rows, cols, role, before, after, scale);
        }

        String shape() {
            return "(" + rows + ", " + cols + ")";
        }
    }
}
