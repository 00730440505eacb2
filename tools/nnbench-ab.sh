#!/usr/bin/env bash
# Compares two nnbench builds by CPU time on one core, a figure that other work on the machine
# disturbs much less than the wall clock: runs A B A B ... (RUNS pairs, default 5), each pinned to
# CPU 0 (CPU=N to choose) under nice, and prints each build's median CPU seconds per image and
# the ratio B/A (below 1: B is cheaper).
#
# Usage: tools/nnbench-ab.sh A_BINARY B_BINARY [workload]   (workload: resnet18-train, cnn58-train)
set -euo pipefail
a=$1 b=$2 workload=${3:-resnet18-train}
RUNS=${RUNS:-5} CPU=${CPU:-0}
key=${workload//-/_}_cpu_s_per_img
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq "$RUNS"); do
  for side in a b; do
    binary=$a; [ $side = b ] && binary=$b
    value=$(nice -n 15 taskset -c "$CPU" "$binary" "$workload" | awk -v k="$key" '$1 == k { print $2 }')
    echo "$side $value" >> "$results"
    echo "# run $run $side: $value" >&2
  done
done
awk '
  { v[$1] = v[$1] " " $2 }
  function median(list,    n, x, i, j, t) {
    n = split(list, x, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
    return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
  }
  END { a = median(v["a"]); b = median(v["b"]); printf "A %.4f  B %.4f  CPU s/img (medians, one core)  B/A %.3f\n", a, b, b / a }' "$results"
