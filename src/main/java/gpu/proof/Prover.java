package gpu.proof;

/**
 * What answers proof-of-GPU rounds for one GPU: the GPU itself ({@code gpu.cuda.GpuProver}) or
 * the CPU ({@link CpuProver}: the reference in tests and the best a host without the GPU can do). A round first commits (the root the server times), then opens what the server names.
 */
public interface Prover {

    /** Computes the compute round of {@code seed} at {@code size} and commits to C. */
    ComputeCommitment compute(byte[] seed, ComputeRound.Size size);

    /** Builds the memory round's dataset, runs every chain and commits to the answers. */
    MemoryCommitment memory(byte[] seed, MemoryRound.Params params);

    /** A compute round's commitment, kept until the server names its entries. */
    interface ComputeCommitment extends AutoCloseable {
        byte[] root();

        Openings.Opening open(Openings.Entry entry);

        /** Frees C and its tree; the CPU's are garbage. */
        @Override
        default void close() {
        }
    }

    /** A memory round's commitment, kept until the server names its chains. */
    interface MemoryCommitment extends AutoCloseable {
        byte[] root();

        MemoryRound.ChainOpening open(long chain);

        /** Frees the dataset. */
        @Override
        void close();
    }
}
