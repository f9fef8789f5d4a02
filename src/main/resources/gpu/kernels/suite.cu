// Berkeley Compute GPU certification kernels (docs/gpu-certification.md).
//
// suite.ptx beside this file is what the CLI loads with cuModuleLoadData: the driver JITs it, so a
// GPU host needs the NVIDIA driver and no CUDA toolkit. KernelPtxTest regenerates it with
//   nvcc -ptx -arch=compute_80 -O3 suite.cu
// and lowers its ".version" to 7.0 (CUDA 11.0), the first PTX ISA with sm_80 and bf16 mma.sync, so
// every driver that knows Ampere JITs it, on Ampere, Ada, Hopper and Blackwell alike.
//
// Every input is derived from the challenge seed with the same splitmix64 steps that
// gpu.report.SeedStreams implements in Java: the server recomputes what a report claims.
// No headers: the kernels use only built-in types, so the PTX does not depend on the toolkit's headers.

typedef unsigned long long u64;
typedef unsigned int u32;

// splitmix64 (Steele, Lea, Flood 2014): one step from a 64-bit state. SeedStreams.mix in Java.
__device__ __forceinline__ u64 mix64(u64 z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// A small integer in [-offset, modulus - 1 - offset] for element i of a stream. SeedStreams.smallInt.
__device__ __forceinline__ int small_int(u64 key, u64 i, u32 modulus, int offset) {
    return (int)(mix64(key + i) % (u64)modulus) - offset;
}

__device__ __forceinline__ u64 global_thread() {
    return (u64)blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ u64 grid_threads() {
    return (u64)gridDim.x * blockDim.x;
}

extern "C" {

// ---------------------------------------------------------------- seeded inputs

// out[i] = small_int(key, i, modulus, offset) as a float: exact, so sums of products stay exact.
__global__ void fill_small_ints_f32(float* out, u64 n, u64 key, u32 modulus, int offset) {
    for (u64 i = global_thread(); i < n; i += grid_threads()) {
        out[i] = (float)small_int(key, i, modulus, offset);
    }
}

// The same as bfloat16 bit patterns: a small integer's float32 bits, upper half (exact for |v| <= 256).
__global__ void fill_small_ints_bf16(unsigned short* out, u64 n, u64 key, u32 modulus, int offset) {
    for (u64 i = global_thread(); i < n; i += grid_threads()) {
        float v = (float)small_int(key, i, modulus, offset);
        out[i] = (unsigned short)(__float_as_uint(v) >> 16);
    }
}

// ---------------------------------------------------------------- device memory bandwidth

// Grid-stride float4 copy, one element per thread per step.
__global__ void copy_u1(const float4* __restrict__ src, float4* __restrict__ dst, u64 n4) {
    for (u64 i = global_thread(); i < n4; i += grid_threads()) {
        dst[i] = src[i];
    }
}

// Four independent loads in flight per thread before their stores.
__global__ void copy_u4(const float4* __restrict__ src, float4* __restrict__ dst, u64 n4) {
    const u64 step = grid_threads();
    u64 i = global_thread();
    for (; i + 3 * step < n4; i += 4 * step) {
        float4 a = src[i];
        float4 b = src[i + step];
        float4 c = src[i + 2 * step];
        float4 d = src[i + 3 * step];
        dst[i] = a;
        dst[i + step] = b;
        dst[i + 2 * step] = c;
        dst[i + 3 * step] = d;
    }
    for (; i < n4; i += step) {
        dst[i] = src[i];
    }
}

// The same with streaming cache hints (ld.global.cs / st.global.cs): data touched once.
__global__ void copy_u4_cs(const float4* __restrict__ src, float4* __restrict__ dst, u64 n4) {
    const u64 step = grid_threads();
    u64 i = global_thread();
    for (; i + 3 * step < n4; i += 4 * step) {
        float4 a = __ldcs(src + i);
        float4 b = __ldcs(src + i + step);
        float4 c = __ldcs(src + i + 2 * step);
        float4 d = __ldcs(src + i + 3 * step);
        __stcs(dst + i, a);
        __stcs(dst + i + step, b);
        __stcs(dst + i + 2 * step, c);
        __stcs(dst + i + 3 * step, d);
    }
    for (; i < n4; i += step) {
        __stcs(dst + i, __ldcs(src + i));
    }
}

__device__ __forceinline__ float4 triad4(float4 b, float4 c, float s) {
    return make_float4(fmaf(s, c.x, b.x), fmaf(s, c.y, b.y), fmaf(s, c.z, b.z), fmaf(s, c.w, b.w));
}

// STREAM triad a = b + s * c, one element per thread per step.
__global__ void triad_u1(float4* __restrict__ a, const float4* __restrict__ b, const float4* __restrict__ c,
                         float s, u64 n4) {
    for (u64 i = global_thread(); i < n4; i += grid_threads()) {
        a[i] = triad4(b[i], c[i], s);
    }
}

// Triad with two elements in flight per thread.
__global__ void triad_u2(float4* __restrict__ a, const float4* __restrict__ b, const float4* __restrict__ c,
                         float s, u64 n4) {
    const u64 step = grid_threads();
    u64 i = global_thread();
    for (; i + step < n4; i += 2 * step) {
        float4 b0 = b[i], c0 = c[i];
        float4 b1 = b[i + step], c1 = c[i + step];
        a[i] = triad4(b0, c0, s);
        a[i + step] = triad4(b1, c1, s);
    }
    for (; i < n4; i += step) {
        a[i] = triad4(b[i], c[i], s);
    }
}

// ---------------------------------------------------------------- FP32 throughput

// Eight independent FMA chains per thread, 16 steps each per iteration: 256 flops per thread and
// iteration. x -> a*x + b with a < 1 converges, so no value overflows or turns denormal.
__global__ void fma_fp32(float* out, int iterations, float a, float b) {
    float x0 = threadIdx.x * 1e-3f, x1 = x0 + 0.1f, x2 = x0 + 0.2f, x3 = x0 + 0.3f;
    float x4 = x0 + 0.4f, x5 = x0 + 0.5f, x6 = x0 + 0.6f, x7 = x0 + 0.7f;
    for (int i = 0; i < iterations; ++i) {
#pragma unroll
        for (int j = 0; j < 16; ++j) {
            x0 = fmaf(x0, a, b);
            x1 = fmaf(x1, a, b);
            x2 = fmaf(x2, a, b);
            x3 = fmaf(x3, a, b);
            x4 = fmaf(x4, a, b);
            x5 = fmaf(x5, a, b);
            x6 = fmaf(x6, a, b);
            x7 = fmaf(x7, a, b);
        }
    }
    out[global_thread()] = ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7));
}

// ---------------------------------------------------------------- tensor cores: mma.sync bf16

// D = A * B + C for one 16x8x16 tile per warp: A 16x16 row-major bf16 (4 registers), B 16x8
// column-major bf16 (2 registers), C and D 16x8 fp32 (4 registers). KernelEmulationTest defines
// its own MMA_BF16 to run these kernels on the CPU.
#ifndef MMA_BF16
#define MMA_BF16(d, a0, a1, a2, a3, b0, b1)                                                        \
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "                            \
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"                           \
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])                                  \
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1))
#endif

// Eight independent accumulators per warp: 8 * 4096 flops per warp and iteration.
__global__ void mma_bf16(float* out, int iterations, u32 a_bits, u32 b_bits) {
    float d[8][4];
#pragma unroll
    for (int c = 0; c < 8; ++c) {
        d[c][0] = d[c][1] = d[c][2] = d[c][3] = 0.0f;
    }
    const u32 a0 = a_bits, a1 = a_bits ^ 0x00010000u, a2 = a_bits, a3 = a_bits ^ 0x00010000u;
    const u32 b0 = b_bits, b1 = b_bits;
    for (int i = 0; i < iterations; ++i) {
        MMA_BF16(d[0], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[1], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[2], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[3], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[4], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[5], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[6], a0, a1, a2, a3, b0, b1);
        MMA_BF16(d[7], a0, a1, a2, a3, b0, b1);
    }
    float s = 0.0f;
#pragma unroll
    for (int c = 0; c < 8; ++c) {
        s += (d[c][0] + d[c][1]) + (d[c][2] + d[c][3]);
    }
    out[global_thread()] = s;
}

__device__ __forceinline__ u32 pack_bf16(unsigned short lo, unsigned short hi) {
    return (u32)lo | ((u32)hi << 16);
}

// C = A * B with mma.sync, one 16x8 tile of C per warp, fragments read straight from global memory
// (a correctness check, not a benchmark). A is m x k and B is k x n, both row-major bf16; C is m x n
// row-major fp32. m % 16 == 0, n % 8 == 0, k % 16 == 0. Fragment layout: PTX ISA, "Matrix
// Fragments for mma.m16n8k16 with floating point type".
__global__ void mma_gemm_bf16(const unsigned short* __restrict__ A, const unsigned short* __restrict__ B,
                              float* __restrict__ C, int m, int n, int k) {
    const int warp = (int)(global_thread() >> 5);
    const int lane = threadIdx.x & 31;
    const int tiles_n = n / 8;
    const int tile_m = warp / tiles_n;
    const int tile_n = warp % tiles_n;
    if (tile_m >= m / 16) {
        return;
    }
    const int group = lane >> 2;
    const int t = lane & 3;
    const int row0 = tile_m * 16 + group;
    const int row1 = row0 + 8;
    const int col = tile_n * 8 + group;
    float d[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int k0 = 0; k0 < k; k0 += 16) {
        const int ka = k0 + t * 2;
        const u32 a0 = pack_bf16(A[(size_t)row0 * k + ka], A[(size_t)row0 * k + ka + 1]);
        const u32 a1 = pack_bf16(A[(size_t)row1 * k + ka], A[(size_t)row1 * k + ka + 1]);
        const u32 a2 = pack_bf16(A[(size_t)row0 * k + ka + 8], A[(size_t)row0 * k + ka + 9]);
        const u32 a3 = pack_bf16(A[(size_t)row1 * k + ka + 8], A[(size_t)row1 * k + ka + 9]);
        const u32 b0 = pack_bf16(B[(size_t)ka * n + col], B[(size_t)(ka + 1) * n + col]);
        const u32 b1 = pack_bf16(B[(size_t)(ka + 8) * n + col], B[(size_t)(ka + 9) * n + col]);
        MMA_BF16(d, a0, a1, a2, a3, b0, b1);
    }
    const int c0 = tile_n * 8 + t * 2;
    C[(size_t)row0 * n + c0] = d[0];
    C[(size_t)row0 * n + c0 + 1] = d[1];
    C[(size_t)row1 * n + c0] = d[2];
    C[(size_t)row1 * n + c0 + 1] = d[3];
}

// ---------------------------------------------------------------- FP32 matrix product (stability)

#define SG_BM 128
#define SG_BN 128
#define SG_BK 8
#define SG_TM 8
#define SG_TN 8

// C = A * B for square n x n row-major matrices, n % 128 == 0. 256 threads per block, each
// computing an 8x8 piece of the block's 128x128 tile; grid (n / 128, n / 128). With small-integer
// inputs every partial sum is an integer below 2^24, so the result is exact whatever the order.
__global__ void __launch_bounds__(256) sgemm(const float* __restrict__ A, const float* __restrict__ B,
                                             float* __restrict__ C, int n) {
    __shared__ __align__(16) float As[SG_BK][SG_BM];
    __shared__ __align__(16) float Bs[SG_BK][SG_BN];
    const int tid = threadIdx.x;
    const int thread_row = tid / (SG_BN / SG_TN);
    const int thread_col = tid % (SG_BN / SG_TN);
    const float* a_block = A + (size_t)blockIdx.y * SG_BM * n;
    const float* b_block = B + (size_t)blockIdx.x * SG_BN;
    // Each thread loads four consecutive floats of A's 128x8 tile and four of B's 8x128 tile.
    const int a_row = tid >> 1;
    const int a_col = (tid & 1) * 4;
    const int b_row = tid >> 5;
    const int b_col = (tid & 31) * 4;

    float acc[SG_TM][SG_TN];
#pragma unroll
    for (int i = 0; i < SG_TM; ++i) {
#pragma unroll
        for (int j = 0; j < SG_TN; ++j) {
            acc[i][j] = 0.0f;
        }
    }
    float ra[SG_TM];
    float rb[SG_TN];
    for (int k0 = 0; k0 < n; k0 += SG_BK) {
        const float4 a4 = *reinterpret_cast<const float4*>(a_block + (size_t)a_row * n + k0 + a_col);
        As[a_col + 0][a_row] = a4.x;
        As[a_col + 1][a_row] = a4.y;
        As[a_col + 2][a_row] = a4.z;
        As[a_col + 3][a_row] = a4.w;
        *reinterpret_cast<float4*>(&Bs[b_row][b_col]) =
                *reinterpret_cast<const float4*>(b_block + (size_t)(k0 + b_row) * n + b_col);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < SG_BK; ++kk) {
#pragma unroll
            for (int i = 0; i < SG_TM; ++i) {
                ra[i] = As[kk][thread_row * SG_TM + i];
            }
#pragma unroll
            for (int j = 0; j < SG_TN; ++j) {
                rb[j] = Bs[kk][thread_col * SG_TN + j];
            }
#pragma unroll
            for (int i = 0; i < SG_TM; ++i) {
#pragma unroll
                for (int j = 0; j < SG_TN; ++j) {
                    acc[i][j] = fmaf(ra[i], rb[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < SG_TM; ++i) {
        float* c_row = C + (size_t)(blockIdx.y * SG_BM + thread_row * SG_TM + i) * n + blockIdx.x * SG_BN
                + thread_col * SG_TN;
        *reinterpret_cast<float4*>(c_row) = make_float4(acc[i][0], acc[i][1], acc[i][2], acc[i][3]);
        *reinterpret_cast<float4*>(c_row + 4) = make_float4(acc[i][4], acc[i][5], acc[i][6], acc[i][7]);
    }
}

// Counts the 32-bit words where a and b differ (bit-for-bit comparison of two results).
__global__ void count_diff(const u32* __restrict__ a, const u32* __restrict__ b, u64 words, u64* diffs) {
    u64 local = 0;
    for (u64 i = global_thread(); i < words; i += grid_threads()) {
        local += (a[i] != b[i]) ? 1 : 0;
    }
    if (local != 0) {
        atomicAdd(diffs, local);
    }
}

// ---------------------------------------------------------------- memory integrity

// The patterns, in the style of memtest86 and DCGM's memory test. IntegrityPatterns in Java.
//   0 walking ones, 1 walking zeros, 2 address in address, 3 seeded random, 4 its complement.
__device__ __forceinline__ u32 pattern_value(int pattern, u64 i, u64 key) {
    switch (pattern) {
        case 0: return 1u << (u32)(i & 31);
        case 1: return ~(1u << (u32)(i & 31));
        case 2: return (u32)i ^ (u32)(i >> 32);
        case 3: return (u32)mix64(key + i);
        default: return ~(u32)mix64(key + i);
    }
}

__global__ void pattern_write(u32* mem, u64 words, int pattern, u64 key) {
    for (u64 i = global_thread(); i < words; i += grid_threads()) {
        mem[i] = pattern_value(pattern, i, key);
    }
}

// Reads every word back and counts those that differ from the pattern; also folds (XOR) the words
// read at every index that is a multiple of 65536 into *sample_xor, which the server recomputes.
__global__ void pattern_check(const u32* __restrict__ mem, u64 words, int pattern, u64 key, u64* errors,
                              u32* sample_xor) {
    u64 bad = 0;
    u32 sample = 0;
    for (u64 i = global_thread(); i < words; i += grid_threads()) {
        const u32 value = mem[i];
        bad += (value != pattern_value(pattern, i, key)) ? 1 : 0;
        if ((i & 0xFFFFull) == 0) {
            sample ^= value;
        }
    }
    if (bad != 0) {
        atomicAdd(errors, bad);
    }
    if (sample != 0) {
        atomicXor(sample_xor, sample);
    }
}

}  // extern "C"

// ================================================================ proof of GPU (gpu.proof)
//
// The rounds of docs/gpu-certification.md, "Proof of GPU", byte for byte as gpu.proof computes them
// in Java (ComputeRound, TileTree, MemoryRound): KernelEmulationTest runs these kernels on the CPU
// and compares their roots with the Java ones. Hashes are 32 bytes, stored as bytes in the order
// SHA-256 prints them.

__constant__ u32 SHA256_K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};

__device__ __forceinline__ u32 rotr32(u32 x, int n) {
    return (x >> n) | (x << (32 - n));
}

// SHA-256 (FIPS 180-4) fed byte by byte: w holds the block being filled as big-endian words.
struct Sha256 {
    u32 h[8];
    u32 w[16];
    u64 bytes;
};

__device__ __noinline__ void sha256_compress(u32* h, const u32* block) {
    u32 w[64];
    for (int i = 0; i < 16; ++i) {
        w[i] = block[i];
    }
    for (int i = 16; i < 64; ++i) {
        const u32 s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const u32 s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
        const u32 t1 = hh + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i];
        const u32 t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

__device__ __forceinline__ void sha256_init(Sha256& s) {
    s.h[0] = 0x6a09e667u;
    s.h[1] = 0xbb67ae85u;
    s.h[2] = 0x3c6ef372u;
    s.h[3] = 0xa54ff53au;
    s.h[4] = 0x510e527fu;
    s.h[5] = 0x9b05688cu;
    s.h[6] = 0x1f83d9abu;
    s.h[7] = 0x5be0cd19u;
    s.bytes = 0;
}

__device__ __forceinline__ void sha256_byte(Sha256& s, u32 byte) {
    const u32 pos = (u32)(s.bytes & 63);
    if ((pos & 3) == 0) {
        s.w[pos >> 2] = 0;
    }
    s.w[pos >> 2] |= (byte & 0xFFu) << (24 - 8 * (pos & 3));
    if (((++s.bytes) & 63) == 0) {
        sha256_compress(s.h, s.w);
    }
}

__device__ __forceinline__ void sha256_u64_be(Sha256& s, u64 v) {
#pragma unroll 1
    for (int i = 7; i >= 0; --i) {
        sha256_byte(s, (u32)(v >> (8 * i)));
    }
}

__device__ __forceinline__ void sha256_u32_le(Sha256& s, u32 v) {
    for (int i = 0; i < 4; ++i) {
        sha256_byte(s, v >> (8 * i));
    }
}

// Not unrolled (nor sha256_u64_be): the kernels hash 32 and 64 bytes at many places, and unrolled
// each is a page of PTX.
__device__ __forceinline__ void sha256_bytes(Sha256& s, const unsigned char* p, int n) {
#pragma unroll 1
    for (int i = 0; i < n; ++i) {
        sha256_byte(s, p[i]);
    }
}

__device__ void sha256_final(Sha256& s, unsigned char* out) {
    const u64 bits = s.bytes * 8;
    sha256_byte(s, 0x80u);
    while ((s.bytes & 63) != 56) {
        sha256_byte(s, 0);
    }
    sha256_u64_be(s, bits);
    for (int i = 0; i < 8; ++i) {
        out[4 * i] = (unsigned char)(s.h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s.h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s.h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s.h[i];
    }
}

// The first 8 bytes of a hash as a little-endian number: the next address of MemoryRound.
__device__ __forceinline__ u64 hash_u64_le(const unsigned char* h) {
    u64 v = 0;
    for (int i = 7; i >= 0; --i) {
        v = (v << 8) | h[i];
    }
    return v;
}

extern "C" {

// ---------------------------------------------------------------- the compute round

#define PG_BM 128
#define PG_BN 128
#define PG_BK 32
#define PG_PAD 8

// C = A * B for the compute round (ComputeRound): A m x k and B k x n row-major bf16 from
// fill_small_ints_bf16 (modulus 16, offset 8), C m x n row-major fp32, exact (every partial sum is
// an integer below 2^24). m % 128 == 0, n % 128 == 0, k % 32 == 0. 256 threads (8 warps) compute a
// 128 x 128 block of C through shared memory, each warp 64 x 32 of it as 4 x 4 mma tiles of 16 x 8
// (the fragments as in mma_gemm_bf16); grid (n / 128, m / 128).
__global__ void __launch_bounds__(256) proof_gemm_bf16(const unsigned short* __restrict__ A, const unsigned short* __restrict__ B,
                                                       float* __restrict__ C, int m, int n, int k) {
    __shared__ unsigned short As[PG_BM][PG_BK + PG_PAD];
    __shared__ unsigned short Bs[PG_BK][PG_BN + PG_PAD];
    const int tid = threadIdx.x;
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int group = lane >> 2;
    const int t = lane & 3;
    const int warp_m = (warp >> 2) * 64;
    const int warp_n = (warp & 3) * 32;
    const size_t block_row = (size_t)blockIdx.y * PG_BM;
    const size_t block_col = (size_t)blockIdx.x * PG_BN;
    float d[4][4][4];
    for (int mi = 0; mi < 4; ++mi) {
        for (int ni = 0; ni < 4; ++ni) {
            d[mi][ni][0] = d[mi][ni][1] = d[mi][ni][2] = d[mi][ni][3] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < k; k0 += PG_BK) {
        for (int i = tid; i < PG_BM * PG_BK; i += 256) {
            As[i / PG_BK][i % PG_BK] = A[(block_row + i / PG_BK) * k + k0 + i % PG_BK];
        }
        for (int i = tid; i < PG_BK * PG_BN; i += 256) {
            Bs[i / PG_BN][i % PG_BN] = B[(size_t)(k0 + i / PG_BN) * n + block_col + i % PG_BN];
        }
        __syncthreads();
        for (int kk = 0; kk < PG_BK; kk += 16) {
            const int ka = kk + t * 2;
            u32 a[4][4];
            u32 b[4][2];
            for (int mi = 0; mi < 4; ++mi) {
                const int r0 = warp_m + mi * 16 + group;
                a[mi][0] = pack_bf16(As[r0][ka], As[r0][ka + 1]);
                a[mi][1] = pack_bf16(As[r0 + 8][ka], As[r0 + 8][ka + 1]);
                a[mi][2] = pack_bf16(As[r0][ka + 8], As[r0][ka + 9]);
                a[mi][3] = pack_bf16(As[r0 + 8][ka + 8], As[r0 + 8][ka + 9]);
            }
            for (int ni = 0; ni < 4; ++ni) {
                const int col = warp_n + ni * 8 + group;
                b[ni][0] = pack_bf16(Bs[ka][col], Bs[ka + 1][col]);
                b[ni][1] = pack_bf16(Bs[ka + 8][col], Bs[ka + 9][col]);
            }
            for (int mi = 0; mi < 4; ++mi) {
                for (int ni = 0; ni < 4; ++ni) {
                    MMA_BF16(d[mi][ni], a[mi][0], a[mi][1], a[mi][2], a[mi][3], b[ni][0], b[ni][1]);
                }
            }
        }
        __syncthreads();
    }
    for (int mi = 0; mi < 4; ++mi) {
        for (int ni = 0; ni < 4; ++ni) {
            const size_t row0 = block_row + warp_m + mi * 16 + group;
            const size_t c0 = block_col + warp_n + ni * 8 + t * 2;
            C[row0 * n + c0] = d[mi][ni][0];
            C[row0 * n + c0 + 1] = d[mi][ni][1];
            C[(row0 + 8) * n + c0] = d[mi][ni][2];
            C[(row0 + 8) * n + c0 + 1] = d[mi][ni][3];
        }
    }
}

// The leaves of C's tile tree (TileTree.leaf): SHA-256(0x00, tile index as 8 bytes big-endian, the
// tile's entries row by row as int32 little-endian), tiles of tile x tile numbered row-major.
__global__ void proof_tile_leaves(const float* __restrict__ C, int n, int tile, u64 tiles, unsigned char* __restrict__ leaves) {
    const u64 tiles_per_row = (u64)(n / tile);
    for (u64 index = global_thread(); index < tiles; index += grid_threads()) {
        const size_t row0 = (size_t)(index / tiles_per_row) * tile;
        const size_t col0 = (size_t)(index % tiles_per_row) * tile;
        Sha256 s;
        sha256_init(s);
        sha256_byte(s, 0x00u);
        sha256_u64_be(s, index);
        for (int r = 0; r < tile; ++r) {
            for (int c = 0; c < tile; ++c) {
                sha256_u32_le(s, (u32)(int)C[(row0 + r) * n + col0 + c]);
            }
        }
        sha256_final(s, leaves + 32 * index);
    }
}

// One level of a tile tree (TileTree.node): above[i] = SHA-256(0x01, below[2i], below[2i + 1]).
__global__ void proof_tree_level(const unsigned char* __restrict__ below, unsigned char* __restrict__ above, u64 nodes) {
    for (u64 i = global_thread(); i < nodes; i += grid_threads()) {
        Sha256 s;
        sha256_init(s);
        sha256_byte(s, 0x01u);
        sha256_bytes(s, below + 64 * i, 64);
        sha256_final(s, above + 32 * i);
    }
}

// ---------------------------------------------------------------- the memory round

// The cache (MemoryRound): item i is SHA-256(0x10, the round's 32-byte seed, i as 8 bytes big-endian).
__global__ void proof_cache(const unsigned char* __restrict__ seed, unsigned char* __restrict__ cache, u64 items) {
    for (u64 i = global_thread(); i < items; i += grid_threads()) {
        Sha256 s;
        sha256_init(s);
        sha256_byte(s, 0x10u);
        sha256_bytes(s, seed, 32);
        sha256_u64_be(s, i);
        sha256_final(s, cache + 32 * i);
    }
}

// Dataset item x (MemoryRound.item): h = SHA-256(0x13, x); then for each parent h = SHA-256(h, the
// cache item h names); the item is SHA-256(0x11, x, h), x as 8 bytes big-endian.
__global__ void proof_dataset(const unsigned char* __restrict__ cache, u64 cache_items, int parents,
                              unsigned char* __restrict__ dataset, u64 items) {
    for (u64 x = global_thread(); x < items; x += grid_threads()) {
        unsigned char h[32];
        Sha256 s;
        sha256_init(s);
        sha256_byte(s, 0x13u);
        sha256_u64_be(s, x);
        sha256_final(s, h);
        for (int j = 0; j < parents; ++j) {
            sha256_init(s);
            sha256_bytes(s, h, 32);
            sha256_bytes(s, cache + 32 * (hash_u64_le(h) % cache_items), 32);
            sha256_final(s, h);
        }
        sha256_init(s);
        sha256_byte(s, 0x11u);
        sha256_u64_be(s, x);
        sha256_bytes(s, h, 32);
        sha256_final(s, dataset + 32 * x);
    }
}

// Chain c (MemoryRound.chain): s = SHA-256(0x12, seed, c); then for each read s = SHA-256(s, the
// dataset item s names). Writes the answer and its leaf (MemoryRound.leaf: SHA-256(0x00, c, answer)).
__global__ void proof_chains(const unsigned char* __restrict__ seed, const unsigned char* __restrict__ dataset, u64 items,
                             int reads, u64 chains, unsigned char* __restrict__ answers, unsigned char* __restrict__ leaves) {
    for (u64 c = global_thread(); c < chains; c += grid_threads()) {
        unsigned char h[32];
        Sha256 s;
        sha256_init(s);
        sha256_byte(s, 0x12u);
        sha256_bytes(s, seed, 32);
        sha256_u64_be(s, c);
        sha256_final(s, h);
        for (int r = 0; r < reads; ++r) {
            sha256_init(s);
            sha256_bytes(s, h, 32);
            sha256_bytes(s, dataset + 32 * (hash_u64_le(h) % items), 32);
            sha256_final(s, h);
        }
        for (int i = 0; i < 32; ++i) {
            answers[32 * c + i] = h[i];
        }
        sha256_init(s);
        sha256_byte(s, 0x00u);
        sha256_u64_be(s, c);
        sha256_bytes(s, h, 32);
        sha256_final(s, leaves + 32 * c);
    }
}

}  // extern "C"
