package gpu.proof;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The second half of a compute round: once the GPU has committed to C (the root of its
 * {@link TileTree}), the server names random entries, and the host answers each with the tile that
 * holds it and the tile's Merkle path. A host whose committed C is right in a fraction f of its
 * entries (it computed only part of the product in time and filled the rest) passes one opening
 * with probability f, and k independent ones with f^k; {@link #count} chooses k so that this is at
 * most 2^-{@link #SECURITY_BITS} for every f up to a bound.
 */
public final class Openings {

    /** A forger passes a round with probability at most 2^-40. */
    public static final int SECURITY_BITS = 40;
    /**
     * The largest fraction of C a host without the claimed GPU is assumed to compute in time: the
     * deadline is sized so that the best such host needs at least 20 times it (docs/gpu-certification.md),
     * and the openings are counted for a host up to ten times faster than that, half the product.
     */
    public static final double FORGER_FRACTION = 0.5;
    /** The openings of every compute round: {@code count(FORGER_FRACTION, SECURITY_BITS)}, 40. */
    public static final int PER_ROUND = count(FORGER_FRACTION, SECURITY_BITS);

    /** An entry of C the server names. */
    public record Entry(int i, int j) {
    }

    /** The host's answer to one named entry: the tile that holds it, its entries, and its path to the root. */
    public record Opening(int tile, int[] values, List<byte[]> path) {
    }

    private Openings() {
    }

    /** Openings so that a prover right in at most a fraction {@code fMax} of C passes with probability at most 2^-bits. */
    public static int count(double fMax, int bits) {
        if (!(fMax > 0 && fMax < 1) || bits <= 0) {
            throw new IllegalArgumentException("fMax is in (0, 1) and bits positive");
        }
        return (int) Math.ceil(bits / (Math.log(1 / fMax) / Math.log(2)));
    }

    /** {@code count} entries of C chosen uniformly at random (independently, so a tile may be named twice). */
    public static List<Entry> choose(ComputeRound.Size size, int count, RandomGenerator random) {
        List<Entry> entries = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            entries.add(new Entry(random.nextInt(size.m()), random.nextInt(size.n())));
        }
        return entries;
    }

    /** The answer to {@code entry} from a host that committed to {@code tiles} under {@code tree}. */
    public static Opening open(ComputeRound.Size size, int[][] tiles, TileTree.Built tree, Entry entry) {
        int tile = size.tileOf(entry.i(), entry.j());
        return new Opening(tile, tiles[tile], tree.path(tile));
    }

    /**
     * Checks the answers to the named entries against the committed root: each opened tile must be
     * the one that holds its entry, hash to the root along its path, and hold the entry the server
     * computes from the seed. Empty when all pass; else why the first one failed.
     */
    public static Optional<String> check(ComputeRound.Keys keys, ComputeRound.Size size, byte[] root, List<Entry> named,
                                         List<Opening> answers) {
        if (answers.size() != named.size()) {
            return Optional.of("answered " + answers.size() + " of " + named.size() + " openings");
        }
        int t = size.tile();
        for (int n = 0; n < named.size(); n++) {
            Entry entry = named.get(n);
            Opening answer = answers.get(n);
            if (answer.tile() != size.tileOf(entry.i(), entry.j())) {
                return Optional.of("opening " + n + " opened tile " + answer.tile() + ", not the tile of (" + entry.i() + ", " + entry.j() + ")");
            }
            if (answer.values() == null || answer.values().length != t * t) {
                return Optional.of("opening " + n + " has " + (answer.values() == null ? 0 : answer.values().length) + " entries, not " + t * t);
            }
            if (!TileTree.verify(root, answer.tile(), TileTree.leaf(answer.tile(), answer.values()), answer.path())) {
                return Optional.of("opening " + n + ": tile " + answer.tile() + " is not the one committed to");
            }
            int expected = ComputeRound.entry(keys, size, entry.i(), entry.j());
            int got = answer.values()[(entry.i() % t) * t + entry.j() % t];
            if (got != expected) {
                return Optional.of("opening " + n + ": C(" + entry.i() + ", " + entry.j() + ") is " + got + ", not " + expected);
            }
        }
        return Optional.empty();
    }
}
