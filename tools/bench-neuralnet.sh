#!/usr/bin/env bash
# NeuralNet engine against PyTorch (2 threads) on the issue-3 workloads, side by side.
# Each workload runs RUNS times per engine (interleaved, so both see the same machine load); the
# medians and engine/PyTorch ratios are printed. Throughput: ratio >= 1 means the engine is faster;
# latency: ratio <= 1 means the engine is faster. Engine-only rows (CPU seconds per image or per
# call) show the engine's cost independent of what else runs on the machine.
#
# For ResNet18 training it also prints the share of the sgemm bound: the 1024^3 sgemm rate on all
# cores (nnbench sgemm, medians of the runs) divided by the step's FLOP per image, both as direct
# convolutions (2 per multiply-add, the usual count) and as the matrix products the engine runs
# (Winograd's convolutions need fewer multiplications: the Winograd-adjusted bound).
#
# OpenBLAS kernels: nnbench chooses them exactly as `morph` does (BLASRuntime: a user's
# OPENBLAS_CORETYPE is kept; a generic core on an AVX-512 or AVX2 CPU is replaced by SkylakeX or
# Haswell; a core OpenBLAS recognises, such as Cooperlake or Zen, is left alone). This script does
# not set the variable, so it never forces other kernels than the tool would use.
#
# Usage: tools/bench-neuralnet.sh [workload ...]   (default: all four)
# Env:   RUNS (default 3), PYTHON (default .venv/bin/python), SWIFT (default swift),
#        SCRATCH (SwiftPM scratch path, default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-.venv/bin/python}
SWIFT=${SWIFT:-swift}
SCRATCH=${SCRATCH:-.build}
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(resnet18-train resnet18-infer resnet18-latency cnn58-train)

if [ ! -x "$PYTHON" ]; then
  echo "PyTorch venv missing: python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 numpy safetensors" >&2
  exit 1
fi
$SWIFT build -c release --scratch-path "$SCRATCH" --product nnbench >&2
NNBENCH=$($SWIFT build -c release --scratch-path "$SCRATCH" --show-bin-path)/nnbench

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for workload in "${WORKLOADS[@]}"; do
  for run in $(seq "$RUNS"); do
    echo "# $workload run $run/$RUNS" >&2
    "$NNBENCH" "$workload" | sed -n -e 's/^\([a-z0-9_]*_\(per_s\|ms\|mib\|per_img\|per_call\)\) /engine \1 /p' \
      -e 's/^blas_core \(.*\)/core \1/p' >> "$results"
    "$PYTHON" tools/torch/bench.py "$workload" | sed -n 's/^\([a-z0-9_]*_\(per_s\|ms\|mib\)\) /pytorch \1 /p' >> "$results"
    if [ "$workload" = resnet18-train ]; then
      "$NNBENCH" sgemm | sed -n 's/^sgemm_gflop_per_s /bound sgemm_gflop_per_s /p' >> "$results"
    fi
  done
done

echo "OpenBLAS core (as morph picks it): $(sed -n 's/^core //p' "$results" | sort -u | tr '\n' ' '); medians of $RUNS runs"
printf '%-32s %12s %12s %8s\n' metric engine pytorch ratio
awk '
  $1 == "engine" || $1 == "pytorch" { keys[$2] = 1 }
  { values[$1 " " $2] = values[$1 " " $2] " " $3 }
  function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (k in keys) {
      if (k ~ /gflop/) continue
      e = median(values["engine " k])
      if (values["pytorch " k] == "") { printf "%-32s %12.4f %12s %8s\n", k, e, "-", "-" | "sort"; continue }
      p = median(values["pytorch " k])
      printf "%-32s %12.2f %12.2f %8.2f\n", k, e, p, e / p | "sort"
    }
    close("sort")
    # The share of the sgemm bound for ResNet18 training.
    if (values["bound sgemm_gflop_per_s"] == "") exit
    sgemm = median(values["bound sgemm_gflop_per_s"]); rate = median(values["engine resnet18_train_img_per_s"])
    direct = median(values["engine resnet18_train_gflop_per_img"])
    products = median(values["engine resnet18_train_product_gflop_per_img"])
    printf "sgemm bound for ResNet18 training (1024^3 sgemm: %.1f GFLOP/s on all cores):\n", sgemm
    printf "  direct convolutions  %.2f GFLOP/img: bound %.1f img/s, engine at %.0f%%\n", direct, sgemm / direct, 100 * rate * direct / sgemm
    printf "  Winograd-adjusted    %.2f GFLOP/img: bound %.1f img/s, engine at %.0f%%\n", products, sgemm / products, 100 * rate * products / sgemm
  }' "$results"
