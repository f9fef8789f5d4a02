// A CPU stand-in for the CUDA built-ins that suite.cu uses, so that KernelEmulationTest can run
// the kernels where there is no GPU: every thread of a block is a std::thread, __syncthreads is
// a barrier, blocks run one after another (so "__shared__" can be a function-local static), and
// mma.sync is computed from the fragment layout of the PTX ISA, independently of the kernels'
// own indexing. It checks the kernels' logic, not their speed or the GPU's arithmetic.
#pragma once

#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

struct emu_uint3 {
    unsigned x, y, z;
};

inline thread_local emu_uint3 threadIdx;
inline thread_local emu_uint3 blockIdx;
inline emu_uint3 blockDim{1, 1, 1};
inline emu_uint3 gridDim{1, 1, 1};

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(x)
#define __shared__ static
#define __constant__
#define __noinline__ __attribute__((noinline))
#define __align__(n) __attribute__((aligned(n)))

struct float4 {
    float x, y, z, w;
};

inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

inline unsigned __float_as_uint(float f) {
    unsigned u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

inline float4 __ldcs(const float4* p) { return *p; }
inline void __stcs(float4* p, float4 v) { *p = v; }

inline std::mutex emu_atomic;

inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
    std::lock_guard<std::mutex> lock(emu_atomic);
    unsigned long long old = *p;
    *p = old + v;
    return old;
}

inline unsigned atomicXor(unsigned* p, unsigned v) {
    std::lock_guard<std::mutex> lock(emu_atomic);
    unsigned old = *p;
    *p = old ^ v;
    return old;
}

inline std::barrier<>* emu_block_barrier = nullptr;

inline void __syncthreads() { emu_block_barrier->arrive_and_wait(); }

// ---------------------------------------------------------------- mma.sync m16n8k16 bf16 -> f32

struct EmuWarp {
    unsigned a[32][4];
    unsigned b[32][2];
    float c[32][4];
    std::barrier<>* barrier;
};

inline std::vector<EmuWarp>* emu_warps = nullptr;

inline float emu_bf16(unsigned bits16) {
    unsigned u = (bits16 & 0xFFFFu) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// Where element (row, col) of each operand lives (PTX ISA, "Matrix Fragments for mma.m16n8k16
// with floating point type"), read back from the lanes' registers.
inline float emu_a(const EmuWarp& w, int row, int col) {
    unsigned lane = (row % 8) * 4 + (col % 8) / 2;
    unsigned reg = (row / 8) + 2 * (col / 8);
    unsigned bits = w.a[lane][reg];
    return emu_bf16(col % 2 ? bits >> 16 : bits);
}

inline float emu_b(const EmuWarp& w, int k, int col) {
    unsigned lane = col * 4 + (k % 8) / 2;
    unsigned bits = w.b[lane][k / 8];
    return emu_bf16(k % 2 ? bits >> 16 : bits);
}

inline float emu_c(const EmuWarp& w, int row, int col) {
    unsigned lane = (row % 8) * 4 + col / 2;
    return w.c[lane][(row / 8) * 2 + col % 2];
}

inline void emu_mma(float* d, unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0, unsigned b1) {
    unsigned lane = threadIdx.x & 31;
    EmuWarp& w = (*emu_warps)[threadIdx.x >> 5];
    w.a[lane][0] = a0;
    w.a[lane][1] = a1;
    w.a[lane][2] = a2;
    w.a[lane][3] = a3;
    w.b[lane][0] = b0;
    w.b[lane][1] = b1;
    for (int i = 0; i < 4; ++i) {
        w.c[lane][i] = d[i];
    }
    w.barrier->arrive_and_wait();
    float out[4];
    unsigned g = lane >> 2, t = lane & 3;
    for (int i = 0; i < 4; ++i) {
        int row = g + 8 * (i / 2);
        int col = t * 2 + (i % 2);
        float acc = emu_c(w, row, col);
        for (int k = 0; k < 16; ++k) {
            acc += emu_a(w, row, k) * emu_b(w, k, col);
        }
        out[i] = acc;
    }
    w.barrier->arrive_and_wait();
    for (int i = 0; i < 4; ++i) {
        d[i] = out[i];
    }
}

#define MMA_BF16(d, a0, a1, a2, a3, b0, b1) emu_mma(d, a0, a1, a2, a3, b0, b1)

// ---------------------------------------------------------------- launches

template <typename... Params, typename... Args>
void emu_launch(void (*kernel)(Params...), unsigned blocks_x, unsigned blocks_y, unsigned threads, Args... args) {
    gridDim = emu_uint3{blocks_x, blocks_y, 1};
    blockDim = emu_uint3{threads, 1, 1};
    for (unsigned by = 0; by < blocks_y; ++by) {
        for (unsigned bx = 0; bx < blocks_x; ++bx) {
            std::barrier<> block(threads);
            emu_block_barrier = &block;
            std::vector<EmuWarp> warps((threads + 31) / 32);
            std::vector<std::barrier<>*> warp_barriers;
            for (unsigned w = 0; w < warps.size(); ++w) {
                unsigned lanes = threads - w * 32 < 32 ? threads - w * 32 : 32;
                warp_barriers.push_back(new std::barrier<>(lanes));
                warps[w].barrier = warp_barriers.back();
            }
            emu_warps = &warps;
            std::vector<std::thread> pool;
            for (unsigned t = 0; t < threads; ++t) {
                pool.emplace_back([=] {
                    threadIdx = emu_uint3{t, 0, 0};
                    blockIdx = emu_uint3{bx, by, 0};
                    kernel(args...);
                });
            }
            for (auto& thread : pool) {
                thread.join();
            }
            for (auto* b : warp_barriers) {
                delete b;
            }
        }
    }
}
