package gpu.proof;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The memory round of proof of GPU (issue 12; docs/gpu-certification.md, "Proof of GPU"), in the
 * pattern of Ethash: a small cache from the round's seed, a large dataset built from the cache
 * whose items are costly to recompute, and chains of dependent random reads over the dataset.
 *
 * <ul>
 *   <li>cache item i (32 bytes) = SHA-256(0x10 ‖ seed ‖ i);</li>
 *   <li>dataset item x = SHA-256(0x11 ‖ x ‖ h_P), where h_0 = SHA-256(0x13 ‖ x) and
 *       h_{j+1} = SHA-256(h_j ‖ cache[u64(h_j) mod cacheItems]): each of its P parents depends on the
 *       one before, so an item costs P + 2 hashes, in order, to make again;</li>
 *   <li>chain c: s_0 = SHA-256(0x12 ‖ seed ‖ c), s_{r+1} = SHA-256(s_r ‖ dataset[u64(s_r) mod datasetItems]);
 *       its answer is s_R. Each read's address depends on the item read before it.</li>
 * </ul>
 *
 * The GPU builds the dataset over at least 90 % of its free memory, runs every chain, and commits
 * to the answers (a {@link TileTree} over them); the server opens random chains and recomputes each
 * from the cache alone (R reads, each an item made again). A host without the memory must make
 * items again on the fly and misses the deadline; one that answers from a dataset it holds only in
 * part gets a chain right only when all its reads fall in that part.
 */
public final class MemoryRound {

    public static final int ITEM_BYTES = 32;

    /** A round's shape. */
    public record Params(int cacheItems, long datasetItems, int parents, long chains, int reads) {
        public Params {
            if (cacheItems <= 0 || datasetItems <= 0 || parents <= 0 || chains <= 0 || reads <= 0) {
                throw new IllegalArgumentException("every size of a memory round is positive");
            }
        }

        /** The dataset's bytes, what the GPU must hold. */
        public long datasetBytes() {
            return datasetItems * ITEM_BYTES;
        }
    }

    private final byte[] seed;
    private final Params params;
    private final byte[][] cache;

    /** The round of {@code seed} with {@code params}; builds the cache (what the server needs to check answers). */
    public MemoryRound(byte[] seed, Params params) {
        this.seed = seed.clone();
        this.params = params;
        this.cache = new byte[params.cacheItems()][];
        for (int i = 0; i < cache.length; i++) {
            cache[i] = TileTree.sha256(ByteBuffer.allocate(1 + seed.length + 8).put((byte) 0x10).put(seed).putLong(i).array());
        }
    }

    public Params params() {
        return params;
    }

    /** Dataset item {@code x}, made from the cache: P + 2 hashes. */
    public byte[] item(long x) {
        MessageDigest sha = TileTree.sha256();
        byte[] h = sha.digest(ByteBuffer.allocate(9).put((byte) 0x13).putLong(x).array());
        for (int j = 0; j < params.parents(); j++) {
            sha.update(h);
            sha.update(cache[(int) Long.remainderUnsigned(u64(h), params.cacheItems())]);
            h = sha.digest();
        }
        sha.update((byte) 0x11);
        sha.update(ByteBuffer.allocate(8).putLong(x).array());
        sha.update(h);
        return sha.digest();
    }

    /** Chain {@code c}'s answer, its items read from {@code dataset} (a host's memory, or {@link #item} for the server). */
    public byte[] chain(long c, LongFunction<byte[]> dataset) {
        MessageDigest sha = TileTree.sha256();
        sha.update((byte) 0x12);
        sha.update(seed);
        byte[] s = sha.digest(ByteBuffer.allocate(8).putLong(c).array());
        for (int r = 0; r < params.reads(); r++) {
            sha.update(s);
            sha.update(dataset.apply(Long.remainderUnsigned(u64(s), params.datasetItems())));
            s = sha.digest();
        }
        return s;
    }

    /** Chain {@code c}'s answer from the cache alone: what the server checks an opened chain against. */
    public byte[] chainFromCache(long c) {
        return chain(c, this::item);
    }

    /** The leaf a chain's answer is committed under in the answers' {@link TileTree}. */
    public static byte[] leaf(long c, byte[] answer) {
        int[] words = new int[ITEM_BYTES / 4];
        ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
        return TileTree.leaf(c, words);
    }

    private static long u64(byte[] hash) {
        return ByteBuffer.wrap(hash, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The host's answer to one named chain: its answer and the answer's path to the committed root. */
    public record ChainOpening(long chain, byte[] answer, List<byte[]> path) {
    }

    /**
     * Checks the answers to the named chains against the committed root: each must be the chain
     * named, hash to the root along its path, and be the answer the server computes from the cache.
     * Empty when all pass; else why the first one failed.
     */
    public Optional<String> check(byte[] root, List<Long> named, List<ChainOpening> answers) {
        if (answers.size() != named.size()) {
            return Optional.of("answered " + answers.size() + " of " + named.size() + " chains");
        }
        for (int n = 0; n < named.size(); n++) {
            ChainOpening answer = answers.get(n);
            long c = named.get(n);
            if (answer.chain() != c || answer.answer() == null || answer.answer().length != ITEM_BYTES) {
                return Optional.of("opening " + n + " does not answer chain " + c);
            }
            if (c > Integer.MAX_VALUE || !TileTree.verify(root, (int) c, leaf(c, answer.answer()), answer.path())) {
                return Optional.of("opening " + n + ": chain " + c + "'s answer is not the one committed to");
            }
            if (!MessageDigest.isEqual(answer.answer(), chainFromCache(c))) {
                return Optional.of("opening " + n + ": chain " + c + "'s answer is wrong");
            }
        }
        return Optional.empty();
    }
}
