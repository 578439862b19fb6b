#!/usr/bin/env bash
# The README's first command: builds everything, gets the default data if it is missing, and runs the main job:
# LeNet-5 pretrained, pruned with ChipNet to 25 % of its FLOPs, compacted, fine-tuned, exported as a verified .pt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash scripts/ensure-data.sh
mvn -B -q -DskipTests package
./djl-prune prune --model lenet5 --budget flops=0.25 --pretrain-epochs 3 --epochs 5 --finetune-epochs 2 \
    --output runs/lenet5-flops-0.25 --overwrite
