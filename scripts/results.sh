#!/usr/bin/env bash
# The runs behind docs/RESULTS.md, with the exact protocol. Each step resumes where it stopped (finished cells and
# runs are not redone), so an interrupted run is continued by running the same command again.
#   scripts/results.sh [OUT_DIR]            # default runs/results
#   STEPS="resnet20 lenet5" scripts/results.sh   # a subset: resnet20, resnet20-more, chipnet-l1, lenet5, deephoyer
# Protocol (2-core CPU budget): Fashion-MNIST with at most 20,000 training images (the 6,000 validation and 10,000
# test images are complete), shifts/flips, batch 128, seed 42. A shared dense model per network (ResNet-20 10 epochs,
# LeNet-5 15); every method prunes
# for 3 epochs (2 for LeNet-5; L1 and random prune in one shot) and every cell fine-tunes the compacted network with
# the same recipe (SGD momentum 0.9, lr 0.01 cosine, wd 1e-3; 3 epochs for ResNet-20, 2 for LeNet-5). ChipNet anneals
# γ per step so a short run ends with crisp gates. Each run uses one LibTorch thread (OMP_NUM_THREADS=1) so two steps
# can run side by side on 2 cores. Slimming is left out on LeNet-5: it has no BatchNorm, and the method refuses it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-runs/results}")"
cli="$root/djl-prune"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
[ -f "$root/examples/target/djl-prune.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
common=(--limit 20000 --augment --anneal step)
for step in ${STEPS:-resnet20 chipnet-l1 lenet5 deephoyer}; do
  case "$step" in
    resnet20)
      "$cli" sweep --model resnet20 --methods chipnet,group-hs,l1,slimming,random \
        --budgets flops=0.5,flops=0.1 --pretrain-epochs 10 --epochs 3 --finetune-epochs 3 "${common[@]}" \
        --output "$out/sweep-resnet20" ;;
    resnet20-more)  # the other two methods, same dense model and recipe; the table then holds all seven
      "$cli" sweep --model resnet20 --methods chipnet,group-hs,hs,l1,slimming,group-lasso,random \
        --budgets flops=0.5,flops=0.1 --pretrain-epochs 10 --epochs 3 --finetune-epochs 3 "${common[@]}" \
        --output "$out/sweep-resnet20" ;;
    chipnet-l1)  # ChipNet with ψ warm-started from L1 ranks, on the same dense ResNet-20
      mkdir -p "$out/sweep-resnet20-chipnet-l1"
      [ -d "$out/sweep-resnet20-chipnet-l1/dense" ] || cp -r "$out/sweep-resnet20/dense" "$out/sweep-resnet20-chipnet-l1/"
      "$cli" sweep --model resnet20 --methods chipnet --budgets flops=0.5,flops=0.1 --pretrain-epochs 10 --epochs 3 \
        --finetune-epochs 3 --psi-init l1 "${common[@]}" --output "$out/sweep-resnet20-chipnet-l1" ;;
    lenet5)
      "$cli" sweep --model lenet5 --methods chipnet,group-hs,hs,l1,group-lasso,random --pretrain-epochs 15 --epochs 2 \
        --finetune-epochs 2 "${common[@]}" --output "$out/sweep-lenet5" ;;
    deephoyer)
      "$root/scripts/deephoyer-lenet5.sh" "$out/deephoyer-lenet5" ;;
    *) echo "unknown step '$step': use resnet20, resnet20-more, chipnet-l1, lenet5 or deephoyer" >&2; exit 2 ;;
  esac
done
