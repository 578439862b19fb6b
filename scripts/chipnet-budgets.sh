#!/usr/bin/env bash
# ChipNet at every budget kind and two targets on one model: prints a markdown table of the exact achieved ratio and
# the hard-mask validation accuracy of the plan each run keeps. Usage:
#   scripts/chipnet-budgets.sh MODEL PRETRAINED_DIR EPOCHS OUT_DIR [extra prune options...]
# e.g. scripts/chipnet-budgets.sh lenet5 runs/lenet5 3 runs/budgets-lenet5
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
model=$1 pretrained=$2 epochs=$3 out=$4
shift 4
echo "| model | budget | achieved | hard-mask val acc | kept per group |"
echo "|---|---|---|---|---|"
for kind in channels volume params flops; do
  for target in 0.5 0.1; do
    dir="$out/$model-$kind-$target"
    ./djl-prune prune --model "$model" --budget "$kind=$target" --pretrained "$pretrained" --epochs "$epochs" \
      --finetune-epochs 0 --output "$dir" --overwrite "$@" > "$dir.log" 2>&1 || { echo "| $model | $kind=$target | failed, see $dir.log | | |"; continue; }
    report="$dir/prune-report.json"
    achieved=$(tr -d ' \n' < "$report" | grep -o "\"$kind\":[0-9.eE-]*" | head -1 | cut -d: -f2)
    accuracy=$(tr -d ' \n' < "$report" | grep -o '"validationAccuracy":[0-9.eE-]*' | head -1 | cut -d: -f2)
    kept=$(tr -d ' \n' < "$report" | grep -o '"kept":\[[0-9,]*\]' | head -1 | cut -d: -f2)
    printf '| %s | %s=%s | %.4f | %.4f | %s |\n' "$model" "$kind" "$target" "$achieved" "$accuracy" "$kept"
  done
done
