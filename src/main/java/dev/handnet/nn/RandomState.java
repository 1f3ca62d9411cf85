package dev.handnet.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A training generator's state as text, for checkpoints that resume exactly: the generator a
 * resumed run continues with draws what the uninterrupted run would have drawn next.
 * {@code java:<base64>} is java.util.Random's own serialised form (its seed and kept normal);
 * {@code numpy:<base64>} is MT19937's 624 words, position and kept normal.
 */
public final class RandomState {

    private RandomState() {
    }

    /** The state of generator, which must be one {@link RandomSource} makes. */
    public static String save(RandomGenerator generator) {
        if (generator instanceof NumpyRandom n) return "numpy:" + Base64.getEncoder().encodeToString(n.state());
        if (generator instanceof Random r) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise java.util.Random", e);
            }
            return "java:" + Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        throw new IllegalArgumentException("no saved state for " + generator.getClass().getName());
    }

    /** {@link #save}, or null for a generator it cannot save (one a caller made, not a {@link RandomSource}). */
    static String saveOrNull(RandomGenerator generator) {
        return generator instanceof NumpyRandom || generator instanceof Random ? save(generator) : null;
    }

    /** The generator a {@link #save} string describes; IllegalArgumentException when it describes none. */
    public static RandomGenerator restore(String state) {
        try {
            if (state.startsWith("numpy:")) return NumpyRandom.fromState(Base64.getDecoder().decode(state.substring(6)));
            if (state.startsWith("java:")) {
                byte[] bytes = Base64.getDecoder().decode(state.substring(5));
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                    // Only java.util.Random and what it holds may be read back: nothing else is constructed.
                    in.setObjectInputFilter(info -> info.serialClass() == null || info.serialClass() == Random.class
                            || info.serialClass() == java.util.concurrent.atomic.AtomicLong.class || info.serialClass() == Number.class
                            ? java.io.ObjectInputFilter.Status.ALLOWED : java.io.ObjectInputFilter.Status.REJECTED);
                    return (Random) in.readObject();
                }
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new IllegalArgumentException("not a generator state (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException("not a generator state: expected java:... or numpy:...");
    }
}
