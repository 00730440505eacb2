#!/usr/bin/env bash
# NeuralNet engine against PyTorch (2 threads) on the issue-3 workloads, side by side.
# Each workload runs RUNS times per engine (interleaved, so both see the same machine load); the
# medians and engine/PyTorch ratios are printed. Throughput: ratio >= 1 means the engine is faster;
# latency: ratio <= 1 means the engine is faster. Engine-only rows (CPU seconds per image or per
# call) show the engine's cost independent of what else runs on the machine.
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
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-$(grep -qw avx512f /proc/cpuinfo && echo SkylakeX || echo Haswell)}
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
    "$NNBENCH" "$workload" | sed -n 's/^\([a-z0-9_]*_\(per_s\|ms\|mib\|per_img\|per_call\)\) /engine \1 /p' >> "$results"
    "$PYTHON" tools/torch/bench.py "$workload" | sed -n 's/^\([a-z0-9_]*_\(per_s\|ms\|mib\)\) /pytorch \1 /p' >> "$results"
  done
done

echo "OpenBLAS core: $OPENBLAS_CORETYPE; medians of $RUNS runs"
printf '%-32s %12s %12s %8s\n' metric engine pytorch ratio
awk '
  { values[$1 " " $2] = values[$1 " " $2] " " $3; keys[$2] = 1 }
  function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (k in keys) {
      e = median(values["engine " k])
      if (values["pytorch " k] == "") { printf "%-32s %12.4f %12s %8s\n", k, e, "-", "-"; continue }
      p = median(values["pytorch " k])
      printf "%-32s %12.2f %12.2f %8.2f\n", k, e, p, e / p
    }
  }' "$results" | sort
