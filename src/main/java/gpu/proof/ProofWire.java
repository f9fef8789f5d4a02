package gpu.proof;

import java.util.List;

/**
 * The JSON of a proof-of-GPU session, as the server sends it and the CLI answers it
 * (docs/gpu-certification.md, "Protocol"). Lists run over the session's GPUs by position; a GPU that
 * has failed gets null in them from then on.
 */
public final class ProofWire {

    private ProofWire() {
    }

    /** The kinds of step, in the order a session takes them. */
    public enum StepKind {
        /** Answer at once: the server measures the round trip. */
        PING,
        /** A spot check's start: ask for it at {@code startsAt}; the round is timed from then. */
        START,
        /** Compute the products and answer with their roots; timed. */
        COMPUTE,
        /** Open the named entries of the committed products. */
        OPEN_COMPUTE,
        /** Build the datasets, run the chains and answer with their roots; timed. */
        MEMORY,
        /** Open the named chains. */
        OPEN_MEMORY
    }

    /** A compute round for one GPU: its seed and the product's shape. */
    public record ComputeTask(String seed, int m, int n, int k, int tile) {
        public ComputeRound.Size size() {
            return new ComputeRound.Size(m, n, k, tile);
        }

        public static ComputeTask of(String seed, ComputeRound.Size size) {
            return new ComputeTask(seed, size.m(), size.n(), size.k(), size.tile());
        }
    }

    /** A memory round for one GPU: its seed and the dataset's and chains' shape. */
    public record MemoryTask(String seed, int cacheItems, long datasetItems, int parents, long chains, int reads) {
        public MemoryRound.Params params() {
            return new MemoryRound.Params(cacheItems, datasetItems, parents, chains, reads);
        }

        public static MemoryTask of(String seed, MemoryRound.Params p) {
            return new MemoryTask(seed, p.cacheItems(), p.datasetItems(), p.parents(), p.chains(), p.reads());
        }
    }

    /**
     * The step the server waits for.
     *
     * @param startsAt   when a timed step or a spot check started, on the server's clock (ISO-8601)
     * @param deadlineMs for a timed step: the most milliseconds from the server handing it out (or from
     *                   {@code startsAt}) to the answer's arrival
     */
    public record Step(int number, StepKind kind, String startsAt, Long deadlineMs, List<ComputeTask> compute,
                       List<MemoryTask> memory, List<List<Openings.Entry>> entries, List<List<Long>> chains) {
    }

    /** An opened tile: its index, its entries as little-endian int32 in base64, and its path (hex hashes, leaf first). */
    public record TileOpening(int tile, String values, List<String> path) {
    }

    /** An opened chain: its index, its answer (hex) and the answer's path. */
    public record ChainOpening(long chain, String answer, List<String> path) {
    }

    /**
     * The host's answer to step {@code step}: {@code roots} to COMPUTE and MEMORY, {@code tiles} to
     * OPEN_COMPUTE, {@code chains} to OPEN_MEMORY, nothing to PING and START.
     */
    public record Answer(Integer step, List<String> roots, List<List<TileOpening>> tiles, List<List<ChainOpening>> chains) {
    }
}
