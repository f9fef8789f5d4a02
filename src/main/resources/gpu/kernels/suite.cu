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
