package gpu.proof;

/**
 * How large a model's proof-of-GPU rounds are and how long its GPU should take, from the model's
 * reference figures (docs/gpu-certification.md, "Sizing"). The server derives deadlines from
 * {@link #computeSeconds} and {@link #memorySeconds}; the forger test measures the CPU against them.
 *
 * <p>The GPU's times are estimates from the reference: the tensor-core rate for the product, the
 * device bandwidth for every byte written and read, and an integer rate for SHA-256 (a quarter of
 * the FP32 FLOP rate, as an SM has half as many INT32 lanes as FP32 ones and an FMA counts twice,
 * at {@link #OPS_PER_COMPRESSION} operations per compression). Measured times replace them when a
 * model is calibrated on a real card.
 */
public final class RoundSizing {

    /** Integer operations of one SHA-256 compression on a GPU: 64 rounds of about 17 and a schedule of about 530. */
    public static final double OPS_PER_COMPRESSION = 1_600;
    /** The compute round's GPU time at the reference rates. */
    public static final double COMPUTE_TARGET_SECONDS = 0.5;
    /** Committed tiles are 32 × 32: an opening carries 4 KiB. */
    public static final int TILE = 32;
    static final int MIN_SIDE = 256;
    static final int MAX_SIDE = 16_384;
    /** A and B are bf16 in memory: at 16,384 × 2^17 each takes 4 GiB, so the round fits a 24 GB card. */
    static final int MAX_K = 1 << 17;
    static final int K_STEP = 256;
    /** Memory round: a cache of 1 MiB, 4 parents per item, 64 reads per chain, a chain per 64 items. */
    public static final int CACHE_ITEMS = 1 << 15;
    public static final int PARENTS = 4;
    public static final int READS = 64;
    static final int ITEMS_PER_CHAIN = 64;
    /** The dataset fills this share of the card's memory. */
    public static final double MEMORY_SHARE = 0.9;

    /**
     * A model's rates, as the proof uses them.
     *
     * @param bf16FlopsPerSecond    tensor-core bf16 rate
     * @param bytesPerSecond        device memory bandwidth, bytes read plus written
     * @param compressionsPerSecond SHA-256 compressions per second over the whole card
     * @param memoryBytes           the card's memory
     */
    public record Rates(double bf16FlopsPerSecond, double bytesPerSecond, double compressionsPerSecond, long memoryBytes) {
        public Rates {
            if (!(bf16FlopsPerSecond > 0 && bytesPerSecond > 0 && compressionsPerSecond > 0 && memoryBytes > 0)) {
                throw new IllegalArgumentException("every rate of a model is positive");
            }
        }

        /** SHA-256 compressions per second estimated from the FP32 FMA rate (two FLOPs per FMA). */
        public static double estimatedCompressions(double fp32FlopsPerSecond) {
            return fp32FlopsPerSecond / 4 / OPS_PER_COMPRESSION;
        }
    }

    private RoundSizing() {
    }

    /** The compute round: square C, as large as {@link #COMPUTE_TARGET_SECONDS} of the tensor cores allow. */
    public static ComputeRound.Size compute(Rates rates) {
        double flops = COMPUTE_TARGET_SECONDS * rates.bf16FlopsPerSecond();
        int side = MIN_SIDE;
        while (side < MAX_SIDE && 2.0 * (2 * side) * (2 * side) * (2 * side) <= flops) {
            side *= 2;
        }
        long k = Math.round(flops / (2.0 * side * side) / K_STEP) * K_STEP;
        return new ComputeRound.Size(side, side, (int) Math.max(K_STEP, Math.min(MAX_K, k)), TILE);
    }

    /** The memory round: a dataset over {@link #MEMORY_SHARE} of the card, a chain per 64 items (a power of two). */
    public static MemoryRound.Params memory(Rates rates) {
        long items = (long) (rates.memoryBytes() * MEMORY_SHARE) / MemoryRound.ITEM_BYTES;
        long chains = Long.highestOneBit(Math.max(1, items / ITEMS_PER_CHAIN));
        return new MemoryRound.Params(CACHE_ITEMS, items, PARENTS, Math.min(chains, 1L << 30), READS);
    }

    /** The GPU's time for a compute round at the reference: the product, writing and hashing C, and the tree. */
    public static double computeSeconds(Rates rates, ComputeRound.Size size) {
        double product = 2 * size.multiplyAdds() / rates.bf16FlopsPerSecond();
        double bytes = 4.0 * size.m() * size.n();
        double inputs = 2.0 * ((double) size.m() * size.k() + (double) size.k() * size.n());
        double compressions = bytes / 64 + 2.0 * size.tiles();
        return product + (2 * bytes + inputs) / rates.bytesPerSecond() + compressions / rates.compressionsPerSecond();
    }

    /** The GPU's time for a memory round at the reference: building the dataset, then the chains' reads. */
    public static double memorySeconds(Rates rates, MemoryRound.Params params) {
        double build = params.datasetItems() * (2.0 * params.parents() + 3) / rates.compressionsPerSecond()
                + (double) params.datasetBytes() / rates.bytesPerSecond();
        double reads = (double) params.chains() * params.reads();
        double chains = reads * 2 / rates.compressionsPerSecond() + reads * 64 / rates.bytesPerSecond();
        return build + chains + 2.0 * params.chains() / rates.compressionsPerSecond();
    }
}
