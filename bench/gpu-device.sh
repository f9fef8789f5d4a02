#!/usr/bin/env bash
# Runs ON a lent GPU machine, from the project root, after bench/gpu-pack.sh packed .device/ here:
# the whole certification suite through the CLI (offline, a practice seed), proof-bench (the proof
# kernels checked and timed: the model's calibration figures), then the baselines the
# figures are compared with in docs/benchmarks.md (nvidia-smi, PyTorch's bf16 matrix product and
# copy). Everything lands in $OUT (the device tool brings it back).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d)}
java=.device/jre/bin/java
[ -x "$java" ] || { echo "no .device/: run bench/gpu-pack.sh first and carry .device" >&2; exit 2; }

nvidia-smi --query-gpu=name,uuid,pci.bus_id,driver_version,memory.total,memory.used,clocks.max.sm,clocks.max.mem,power.limit \
  --format=csv | tee "$OUT/nvidia-smi.csv"

start=$(date +%s.%N)
$java -jar .device/bc-cli.jar run --offline --out "$OUT/report.json" 2> >(tee "$OUT/run.log" >&2)
status=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v rc="$status" 'BEGIN { printf "bc-cli run: exit %d, %.1f s wall (JVM start included)\n", rc, e - s }' | tee -a "$OUT/run.log"
[ -f "$OUT/report.json" ] && $java -jar .device/bc-cli.jar show "$OUT/report.json" --json > "$OUT/summary.json"

# Proof of GPU: the card's kernels against the server's checks, then a full compute and memory round,
# timed; proof.json holds the figures that calibrate the model (docs/gpu-certification.md).
$java -jar .device/bc-cli.jar proof-bench --k 65536 > "$OUT/proof.json" 2> >(tee "$OUT/proof.log" >&2)
echo "bc-cli proof-bench: exit $?" | tee -a "$OUT/proof.log"
cat "$OUT/proof.json"

# Baselines on the same GPU, same call: PyTorch's bf16 GEMM (cuBLAS) and its device copy.
python3 - <<'PY' 2>&1 | tee "$OUT/pytorch.txt"
import statistics, torch
def median_ms(fn, runs=15):
    for _ in range(3): fn()
    times = []
    for _ in range(runs):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record(); fn(); e.record(); torch.cuda.synchronize(); times.append(s.elapsed_time(e))
    return statistics.median(times)
print("torch", torch.__version__, "cuda", torch.version.cuda, "on", torch.cuda.get_device_name(0))
n = 8192
a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16); b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
ms = median_ms(lambda: a @ b)
print(f"bf16 matmul {n}^3: {2 * n**3 / (ms / 1e3) / 1e12:.1f} TFLOP/s")
x = torch.empty(1 << 28, device="cuda", dtype=torch.float32); y = torch.empty_like(x)
ms = median_ms(lambda: y.copy_(x))
print(f"copy 1 GiB: {2 * x.numel() * 4 / (ms / 1e3) / 1e9:.1f} GB/s (bytes read + written)")
PY
exit $status
