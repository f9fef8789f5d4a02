package gpu.cuda;

/** The kernels of suite.cu that the suite launches, by their PTX entry names. */
public enum Kernel {
    FILL_SMALL_INTS_F32("fill_small_ints_f32"),
    FILL_SMALL_INTS_BF16("fill_small_ints_bf16"),
    COPY_U1("copy_u1"),
    COPY_U4("copy_u4"),
    COPY_U4_CS("copy_u4_cs"),
    TRIAD_U1("triad_u1"),
    TRIAD_U2("triad_u2"),
    FMA_FP32("fma_fp32"),
    MMA_BF16("mma_bf16"),
    MMA_GEMM_BF16("mma_gemm_bf16"),
    SGEMM("sgemm"),
    COUNT_DIFF("count_diff"),
    PATTERN_WRITE("pattern_write"),
    PATTERN_CHECK("pattern_check"),
    PROOF_GEMM_BF16("proof_gemm_bf16"),
    PROOF_TILE_LEAVES("proof_tile_leaves"),
    PROOF_TREE_LEVEL("proof_tree_level"),
    PROOF_CACHE("proof_cache"),
    PROOF_DATASET("proof_dataset"),
    PROOF_CHAINS("proof_chains");

    /** Where the PTX is, on the classpath of the CLI and of the server. */
    public static final String PTX_RESOURCE = "/gpu/kernels/suite.ptx";

    private final String entry;

    Kernel(String entry) {
        this.entry = entry;
    }

    public String entry() {
        return entry;
    }
}
