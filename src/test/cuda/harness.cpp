// Runs suite.cu's kernels on the CPU (emulator.h) with inputs from KernelEmulationTest and writes
// their results for the test to check against gpu.report.ReferenceMath.
//   harness OUT_DIR MATMUL_A MATMUL_B MMA_A MMA_B INTEGRITY_KEY INTEGRITY_WORDS PROOF_A PROOF_B PROOF_SEED_HEX
// The proof rounds' sizes are fixed here and in KernelEmulationTest: compute 256 x 256 x 512 in tiles
// of 32; memory a cache of 1024 items, 4096 dataset items, 4 parents, 256 chains of 64 reads.
#include "emulator.h"
#include "suite.cu"

#include <cstdio>
#include <cstdlib>
#include <string>

static void write(const std::string& path, const void* data, size_t bytes) {
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(data, 1, bytes, f);
    std::fclose(f);
}

static std::string hex(const unsigned char* h) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 32; ++i) {
        s += digits[h[i] >> 4];
        s += digits[h[i] & 15];
    }
    return s;
}

// The root of a tile tree over `leaves` (a power of two), a level per launch as the CLI builds it.
static std::string tree_root(std::vector<unsigned char> level) {
    while (level.size() > 32) {
        std::vector<unsigned char> above(level.size() / 2);
        emu_launch(proof_tree_level, 2, 1, 32, level.data(), above.data(), (u64)(above.size() / 32));
        level = above;
    }
    return hex(level.data());
}

int main(int argc, char** argv) {
    if (argc != 11) {
        std::fprintf(stderr, "usage: harness OUT_DIR MATMUL_A MATMUL_B MMA_A MMA_B INTEGRITY_KEY INTEGRITY_WORDS PROOF_A PROOF_B PROOF_SEED_HEX\n");
        return 2;
    }
    std::string out = argv[1];
    u64 key_a = std::strtoull(argv[2], nullptr, 10), key_b = std::strtoull(argv[3], nullptr, 10);
    u64 mma_a = std::strtoull(argv[4], nullptr, 10), mma_b = std::strtoull(argv[5], nullptr, 10);
    u64 integrity_key = std::strtoull(argv[6], nullptr, 10);
    u64 words = std::strtoull(argv[7], nullptr, 10);

    // The seeded FP32 product, as the suite's digest check runs it (n = 512, 4 x 4 blocks of 256).
    const int n = 512;
    std::vector<float> a(n * n), b(n * n), c(n * n, -1.0f);
    emu_launch(fill_small_ints_f32, 16, 1, 256, a.data(), (u64)n * n, key_a, 17u, 8);
    emu_launch(fill_small_ints_f32, 16, 1, 256, b.data(), (u64)n * n, key_b, 17u, 8);
    emu_launch(sgemm, n / 128, n / 128, 256, a.data(), b.data(), c.data(), n);
    write(out + "/matmul.bin", c.data(), c.size() * sizeof(float));

    // The seeded bf16 product with mma.sync (m = 256: 512 warps in blocks of 128 threads).
    const int m = 256;
    std::vector<unsigned short> a16(m * m), b16(m * m);
    std::vector<float> c32(m * m, -1.0f);
    emu_launch(fill_small_ints_bf16, 8, 1, 256, a16.data(), (u64)m * m, mma_a, 9u, 4);
    emu_launch(fill_small_ints_bf16, 8, 1, 256, b16.data(), (u64)m * m, mma_b, 9u, 4);
    emu_launch(mma_gemm_bf16, (m / 16) * (m / 8) * 32 / 128, 1, 128, a16.data(), b16.data(), c32.data(), m, m, m);
    write(out + "/mma.bin", c32.data(), c32.size() * sizeof(float));

    // The memory test's five patterns, then one word broken between writing and checking.
    std::vector<u32> mem(words);
    unsigned long long errors = 0;
    u32 sample = 0, ignored = 0;
    for (int p = 0; p < 5; ++p) {
        emu_launch(pattern_write, 4, 1, 64, mem.data(), words, p, integrity_key);
        emu_launch(pattern_check, 4, 1, 64, mem.data(), words, p, integrity_key, &errors, p == 3 ? &sample : &ignored);
    }
    unsigned long long broken = 0;
    emu_launch(pattern_write, 4, 1, 64, mem.data(), words, 2, integrity_key);
    mem[words / 3] ^= 0x10u;
    emu_launch(pattern_check, 4, 1, 64, mem.data(), words, 2, integrity_key, &broken, &ignored);
    std::printf("integrity errors=%llu sample=0x%08x broken=%llu\n", errors, sample, broken);

    // Copies and triads move every element exactly once, whatever the grid.
    const u64 n4 = 10007;
    std::vector<float4> src(n4), dst(n4), dst2(n4), dst3(n4), tri(n4), tri2(n4);
    for (u64 i = 0; i < n4; ++i) {
        src[i] = make_float4(i, i + 0.25f, -(float)i, 3.0f);
    }
    emu_launch(copy_u1, 3, 1, 64, src.data(), dst.data(), n4);
    emu_launch(copy_u4, 5, 1, 32, src.data(), dst2.data(), n4);
    emu_launch(copy_u4_cs, 2, 1, 96, src.data(), dst3.data(), n4);
    emu_launch(triad_u1, 3, 1, 64, tri.data(), src.data(), dst.data(), 2.0f, n4);
    emu_launch(triad_u2, 7, 1, 32, tri2.data(), src.data(), dst.data(), 2.0f, n4);
    bool copies = true, triads = true;
    for (u64 i = 0; i < n4; ++i) {
        copies &= std::memcmp(&src[i], &dst[i], 16) == 0 && std::memcmp(&src[i], &dst2[i], 16) == 0
                && std::memcmp(&src[i], &dst3[i], 16) == 0;
        triads &= tri[i].x == src[i].x * 3 && tri[i].w == 9.0f && std::memcmp(&tri[i], &tri2[i], 16) == 0;
    }
    std::printf("copy %s\ntriad %s\n", copies ? "ok" : "WRONG", triads ? "ok" : "WRONG");

    // The bit-for-bit comparison counts differing words.
    std::vector<u32> x(5000, 7u), y(5000, 7u);
    y[17] = 8u;
    y[4999] = 0u;
    unsigned long long diffs = 0;
    emu_launch(count_diff, 3, 1, 64, x.data(), y.data(), (u64)5000, &diffs);
    std::printf("diffs %llu\n", diffs);

    // The throughput kernels run (a few iterations) and produce finite numbers.
    std::vector<float> fma_out(64), mma_out(64);
    emu_launch(fma_fp32, 1, 1, 64, fma_out.data(), 3, 0.9999f, 0.0001f);
    emu_launch(mma_bf16, 1, 1, 64, mma_out.data(), 2, 0x3D803D80u, 0x3D803D80u);
    bool finite = true;
    for (int i = 0; i < 64; ++i) {
        finite &= std::isfinite(fma_out[i]) && std::isfinite(mma_out[i]) && mma_out[i] > 0;
    }
    std::printf("throughput kernels %s\n", finite ? "ok" : "WRONG");

    // Proof of GPU: a compute round (inputs, product, tile leaves, tree) and a memory round (cache,
    // dataset, chains, tree) from the seed, their roots for the test to compare with gpu.proof's.
    u64 proof_a = std::strtoull(argv[8], nullptr, 10), proof_b = std::strtoull(argv[9], nullptr, 10);
    unsigned char seed[32];
    for (int i = 0; i < 32; ++i) {
        seed[i] = (unsigned char)std::stoi(std::string(argv[10] + 2 + 2 * i, 2), nullptr, 16);
    }
    const int pm = 256, pn = 256, pk = 512, tile = 32;
    const u64 tiles = (u64)(pm / tile) * (pn / tile);
    std::vector<unsigned short> pa((size_t)pm * pk), pb((size_t)pk * pn);
    std::vector<float> pc((size_t)pm * pn, -1.0f);
    emu_launch(fill_small_ints_bf16, 8, 1, 256, pa.data(), (u64)pm * pk, proof_a, 16u, 8);
    emu_launch(fill_small_ints_bf16, 8, 1, 256, pb.data(), (u64)pk * pn, proof_b, 16u, 8);
    emu_launch(proof_gemm_bf16, pn / 128, pm / 128, 256, pa.data(), pb.data(), pc.data(), pm, pn, pk);
    std::vector<unsigned char> tile_leaves(32 * tiles);
    emu_launch(proof_tile_leaves, 3, 1, 16, pc.data(), pn, tile, tiles, tile_leaves.data());
    std::printf("proof compute root %s\n", tree_root(tile_leaves).c_str());

    const u64 cache_items = 1024, items = 4096, chains = 256;
    std::vector<unsigned char> cache(32 * cache_items), dataset(32 * items), answers(32 * chains), chain_leaves(32 * chains);
    emu_launch(proof_cache, 2, 1, 64, seed, cache.data(), cache_items);
    emu_launch(proof_dataset, 3, 1, 64, cache.data(), cache_items, 4, dataset.data(), items);
    emu_launch(proof_chains, 2, 1, 32, seed, dataset.data(), items, 64, chains, answers.data(), chain_leaves.data());
    std::printf("proof memory root %s\n", tree_root(chain_leaves).c_str());
    std::printf("proof chain 17 %s\n", hex(answers.data() + 32 * 17).c_str());
    return 0;
}
