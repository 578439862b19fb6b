#!/usr/bin/env bash
# Reproduces the DeepHoyer reference points on Fashion-MNIST LeNet-5 (ALGORITHMS.md §2; issue 6): element-wise HS
# below 24,026 non-zero weights at ≥ 91.17 % test accuracy, Group-HS below 8,025 at ≥ 90.82 %.
#   scripts/deephoyer-lenet5.sh [OUT_DIR]        # default runs/deephoyer-lenet5; about 40 min on 2 cores
# Steps: a dense LeNet-5 (15 epochs, Adam 1e-3 cosine, shifts/flips), then for each regulariser `djl-prune sparsify`:
# E epochs with α·R (Adam 1e-3 cosine, wd 1e-4; HS 20, Group-HS 24), one global magnitude cut keeping at most N
# weights, F epochs of fine-tuning with the zeros held (SGD 0.003 momentum 0.9 cosine; HS 15, Group-HS 10). HS_ALPHA,
# GHS_ALPHA, HS_KEEP, GHS_KEEP, HS_EPOCHS, GHS_EPOCHS, HS_FT_EPOCHS, GHS_FT_EPOCHS, DENSE_EPOCHS override. The defaults
# are the best settings measured so far (docs/RESULTS.md, "DeepHoyer"); the HS defaults met the reference point
# (24,000 weights at 0.9144 with DENSE_EPOCHS=30).
# The two sparsify runs are independent; PARALLEL=1 runs them side by side (one LibTorch thread each).
set -euo pipefail
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-runs/deephoyer-lenet5}")"
cli="$root/djl-prune"
[ -f "$root/examples/target/djl-prune.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
mkdir -p "$out"
if [ ! -f "$out/dense/train-report.json" ]; then
  "$cli" train --model lenet5 --epochs "${DENSE_EPOCHS:-15}" --augment --output "$out/dense" --overwrite
fi
sparsify() {  # name regularizer alpha keep epochs finetune-epochs
  [ -f "$out/$1/sparsify-report.json" ] && return 0
  "$cli" sparsify --model lenet5 --pretrained "$out/dense" --regularizer "$2" --alpha "$3" --epochs "$5" \
    --keep-weights "$4" --finetune-epochs "$6" --finetune-lr 0.003 --augment --output "$out/$1" --overwrite
}
hs_args=(hs hs "${HS_ALPHA:-2e-5}" "${HS_KEEP:-24000}" "${HS_EPOCHS:-20}" "${HS_FT_EPOCHS:-15}")
ghs_args=(group-hs group-hs "${GHS_ALPHA:-1e-2}" "${GHS_KEEP:-8000}" "${GHS_EPOCHS:-24}" "${GHS_FT_EPOCHS:-10}")
if [ "${PARALLEL:-0}" = 1 ]; then
  OMP_NUM_THREADS=1 sparsify "${hs_args[@]}" > "$out/hs.log" 2>&1 &
  OMP_NUM_THREADS=1 sparsify "${ghs_args[@]}" > "$out/group-hs.log" 2>&1 &
  wait
else
  sparsify "${hs_args[@]}"
  sparsify "${ghs_args[@]}"
fi
for run in hs group-hs; do
  python3 - "$out/$run/sparsify-report.json" <<'PY' 2>/dev/null || grep -E '"(nonzero|testAccuracy)"' "$out/$run/sparsify-report.json"
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{r['regularizer']}: {r['nonzero']} non-zero of {r['weights']} weights, test accuracy {r['testAccuracy']:.4f}")
PY
done
