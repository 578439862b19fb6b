#!/usr/bin/env bash
# The runs behind docs/RESULTS.md, with the exact protocol. Each step resumes where it stopped (finished cells and
# runs are not redone), so an interrupted run is continued by running the same command again.
#   scripts/results.sh [OUT_DIR]            # default runs/results
#   STEPS="resnet20 lenet5" scripts/results.sh   # a subset of: $steps below
# Protocol (2-core CPU budget): Fashion-MNIST with shifts/flips, batch 128, seed 42; the 6,000 validation and 10,000
# test images are always complete. One shared dense model per network, and one recipe per network for every method:
#   ResNet-20: 10,000 training images; dense 6 epochs; each method prunes for 2 epochs (L1 and random in one shot);
#              the compacted network fine-tunes 3 epochs (SGD momentum 0.9, lr 0.01 cosine, wd 1e-3).
#   LeNet-5:   20,000 training images; dense 15 epochs; prune 2 epochs; fine-tune 2 epochs.
# ChipNet anneals γ per step so a short run ends with crisp gates, and its ψ learning rate is scaled to the run
# (prune --psi-lr auto, the default). Each run uses one LibTorch thread
# (OMP_NUM_THREADS=1) so two steps can run side by side on 2 cores. Slimming is left out on LeNet-5: it has no
# BatchNorm, and the method refuses it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-runs/results}")"
cli="$root/djl-prune"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
[ -f "$root/examples/target/djl-prune.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
common=(--augment --anneal step)
# The steps behind the rows measured before commit cd39de5 (2026-12-01) keep the hard-mask rules they ran with (prune's
# defaults then: channel order 'preferred', kept channels at 1); the -hf steps use today's defaults.
before_cd39de5=(--order preferred --kept-scale one)
# The ChipNet runs measured before sampled gates became the default (night of 2026-12-06) keep the gates that scale by
# z and the reference budget weight they ran with.
scaled=(--gate-sampling none --budget-weight 30)
resnet=(--model resnet20 --limit 10000 --budgets flops=0.5,flops=0.1 --pretrain-epochs 6 --epochs 2 --finetune-epochs 3)
steps="resnet20 resnet20-more resnet20-gate resnet20-hf resnet20-reg chipnet-l1 lenet5 lenet5-gate lenet5-hf lenet5-reg deephoyer crisp crisp-resnet20 sampled-resnet20 sampled other-methods full-lenet5 full-resnet20"
for step in ${STEPS:-resnet20 resnet20-more lenet5 deephoyer}; do
  case "$step" in
    resnet20)
      "$cli" sweep "${resnet[@]}" --methods chipnet,group-hs,l1,slimming,random "${common[@]}" "${before_cd39de5[@]}" "${scaled[@]}" \
        --output "$out/sweep-resnet20" ;;
    resnet20-more)  # the other two methods on the same dense ResNet-20, with the same recipe
      mkdir -p "$out/sweep-resnet20-more"
      [ -d "$out/sweep-resnet20-more/dense" ] || cp -r "$out/sweep-resnet20/dense" "$out/sweep-resnet20-more/"
      "$cli" sweep "${resnet[@]}" --methods hs,group-lasso "${common[@]}" "${before_cd39de5[@]}" --output "$out/sweep-resnet20-more" ;;
    chipnet-l1)  # ChipNet with ψ warm-started from L1 ranks, on the same dense ResNet-20
      mkdir -p "$out/sweep-resnet20-chipnet-l1"
      [ -d "$out/sweep-resnet20-chipnet-l1/dense" ] || cp -r "$out/sweep-resnet20/dense" "$out/sweep-resnet20-chipnet-l1/"
      "$cli" sweep "${resnet[@]}" --methods chipnet --psi-init l1 "${common[@]}" "${before_cd39de5[@]}" "${scaled[@]}" \
        --output "$out/sweep-resnet20-chipnet-l1" ;;
    resnet20-gate)  # ChipNet with the budget on the gate values z instead of the soft count, same dense and recipe
      mkdir -p "$out/sweep-resnet20-gate"
      [ -d "$out/sweep-resnet20-gate/dense" ] || cp -r "$out/sweep-resnet20/dense" "$out/sweep-resnet20-gate/"
      "$cli" sweep "${resnet[@]}" --methods chipnet --budget-on gate "${common[@]}" "${before_cd39de5[@]}" "${scaled[@]}" \
        --output "$out/sweep-resnet20-gate" ;;
    resnet20-hf)  # ChipNet as recommended for short runs: budget on z, the soft share order and kept scale (prune's
                  # defaults since cd39de5), and the second of the two pruning epochs trained under the fixed mask
      mkdir -p "$out/sweep-resnet20-hf"
      [ -d "$out/sweep-resnet20-hf/dense" ] || cp -r "$out/sweep-resnet20/dense" "$out/sweep-resnet20-hf/"
      "$cli" sweep "${resnet[@]}" --methods chipnet --budget-on gate --hard-finish 0.5 "${common[@]}" "${scaled[@]}" \
        --output "$out/sweep-resnet20-hf" ;;
    lenet5-hf)  # the same for LeNet-5: FLOPs budgets, the parameter budget where the soft count collapsed first
      mkdir -p "$out/sweep-lenet5-hf"
      [ -d "$out/sweep-lenet5-hf/dense" ] || cp -r "$out/sweep-lenet5/dense" "$out/sweep-lenet5-hf/"
      "$cli" sweep --model lenet5 --limit 20000 --methods chipnet --budget-on gate --hard-finish 0.5 \
        --budgets flops=0.1,flops=0.05,params=0.05,flops=0.5,flops=0.25,params=0.5,params=0.25,params=0.1 \
        --pretrain-epochs 15 --epochs 2 \
        --finetune-epochs 2 "${common[@]}" "${scaled[@]}" --output "$out/sweep-lenet5-hf" ;;
    resnet20-reg)  # the regularised methods again on the same dense ResNet-20 and recipe, after commit
                   # 9799b74 (2026-12-01) fixed their gradients (the resnet20 and resnet20-more rows of these methods predate it)
      mkdir -p "$out/sweep-resnet20-reg"
      [ -d "$out/sweep-resnet20-reg/dense" ] || cp -r "$out/sweep-resnet20/dense" "$out/sweep-resnet20-reg/"
      "$cli" sweep "${resnet[@]}" --methods group-hs,slimming,hs,group-lasso "${common[@]}" \
        --output "$out/sweep-resnet20-reg" ;;
    lenet5-reg)  # the same for LeNet-5 (issue 6's budgets first)
      mkdir -p "$out/sweep-lenet5-reg"
      [ -d "$out/sweep-lenet5-reg/dense" ] || cp -r "$out/sweep-lenet5/dense" "$out/sweep-lenet5-reg/"
      "$cli" sweep --model lenet5 --limit 20000 --methods group-hs,hs,group-lasso --pretrain-epochs 15 --epochs 2 \
        --budgets flops=0.5,flops=0.1,flops=0.25,flops=0.05,params=0.5,params=0.25,params=0.1,params=0.05 \
        --finetune-epochs 2 "${common[@]}" --output "$out/sweep-lenet5-reg" ;;
    lenet5-gate)  # the same for LeNet-5, FLOPs budgets
      mkdir -p "$out/sweep-lenet5-gate"
      [ -d "$out/sweep-lenet5-gate/dense" ] || cp -r "$out/sweep-lenet5/dense" "$out/sweep-lenet5-gate/"
      "$cli" sweep --model lenet5 --limit 20000 --methods chipnet --budget-on gate \
        --budgets flops=0.5,flops=0.25,flops=0.1,flops=0.05 --pretrain-epochs 15 --epochs 2 --finetune-epochs 2 \
        "${common[@]}" "${before_cd39de5[@]}" "${scaled[@]}" --output "$out/sweep-lenet5-gate" ;;
    lenet5)
      "$cli" sweep --model lenet5 --limit 20000 --methods chipnet,group-hs,hs,l1,group-lasso,random \
        --pretrain-epochs 15 --epochs 2 --finetune-epochs 2 "${common[@]}" "${before_cd39de5[@]}" "${scaled[@]}" \
        --output "$out/sweep-lenet5" ;;
    crisp)  # issue 15: full-length ChipNet on LeNet-5 (all 54,000 training images, 3 dense + 20 pruning epochs, 2
            # fine-tuning), hard-mask gap per epoch: the budget on the soft count (the reference), on the gate values,
            # on the gate values with β annealed to 40, the spread ψ start, and today's default (w_crisp 200).
            # Each run resumes where it stopped.
      for budget in 0.25 0.1; do
        "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=$budget --budget-on count --beta-step 0.02 --beta-cap 6 \
          --resume --output "$out/crisp-lenet5/count-flops-$budget"
        "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=$budget --budget-on gate --beta-step 0.02 --beta-cap 6 \
          --resume --output "$out/crisp-lenet5/gate-flops-$budget"
        "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=$budget --budget-on gate --beta-step 2 --beta-cap 40 \
          --resume --output "$out/crisp-lenet5/beta-flops-$budget"
        # the default of 2026-12-06 before the crispness weight rose: ψ spread by L1 rank, β to 40, w_crisp 10
        "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=$budget --crisp-weight 10 \
          --resume --output "$out/crisp-lenet5/spread-flops-$budget"
        # today's default: the same with w_crisp 200
        "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=$budget --resume --output "$out/crisp-lenet5/default-flops-$budget"
      done
      # 8-epoch screens at FLOPs 0.1 (ψ's rate fixed to the 20-epoch run's): √z budget count, and w_crisp 200
      "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=0.1 --epochs 8 --psi-lr 0.0033323462 --finetune-epochs 0 \
        --budget-on root --crisp-weight 10 --resume --output "$out/crisp-lenet5/screen-root-flops-0.1"
      "$cli" prune "${scaled[@]}" --model lenet5 --budget flops=0.1 --epochs 8 --psi-lr 0.0033323462 --finetune-epochs 0 \
        --crisp-weight 200 --resume --output "$out/crisp-lenet5/screen-crisp200-flops-0.1" ;;
    crisp-resnet20)  # docs/CHIPNET.md, ResNet-20 at FLOPs 0.1: frozen BatchNorm statistics, budget weight 300 and
                     # the mask pull; the dense model of the full-length rows (2 epochs on all images) in $out/dense-r20
      [ -f "$out/dense-r20/train-report.json" ] || "$cli" train --model resnet20 --epochs 2 --output "$out/dense-r20"
      r20=(--model resnet20 --pretrained "$out/dense-r20" --budget flops=0.1)
      old=("${r20[@]}" "${scaled[@]}")
      "$cli" prune "${r20[@]}" --epochs 10 --finetune-epochs 2 --bn-statistics frozen --budget-weight 300 --gate-sampling none \
        --resume --output "$out/crisp-resnet20/frozen-w300"
      for pull in 3 30; do
        "$cli" prune "${old[@]}" --limit 10000 --epochs 10 --finetune-epochs 0 --mask-pull $pull \
          --resume --output "$out/crisp-resnet20/screen-pull$pull"
      done
      for pull in 3 30 100; do
        "$cli" prune "${old[@]}" --limit 10000 --epochs 10 --finetune-epochs 0 --bn-statistics frozen \
          --mask-pull $pull --resume --output "$out/crisp-resnet20/screen-frozen-pull$pull"
      done
      # fine-tuned accuracy, default recipe against frozen statistics with the mask pull
      "$cli" prune "${old[@]}" --limit 10000 --epochs 6 --finetune-epochs 2 \
        --resume --output "$out/crisp-resnet20/pair-default"
      "$cli" prune "${old[@]}" --limit 10000 --epochs 6 --finetune-epochs 2 --bn-statistics frozen --mask-pull 30 \
        --resume --output "$out/crisp-resnet20/pair-frozen-pull30"
      # LeNet-5 (no BatchNorm) at full length with budget weight 300, and with the mask pull
      lenet=(--model lenet5 --pretrained "$out/crisp-lenet5/dense" --budget flops=0.1)
      [ -f "$out/crisp-lenet5/dense/train-report.json" ] ||
        "$cli" train --model lenet5 --epochs 3 --output "$out/crisp-lenet5/dense"
      "$cli" prune "${lenet[@]}" --bn-statistics frozen --budget-weight 300 --gate-sampling none --resume --output "$out/crisp-lenet5/w300-flops-0.1"
      "$cli" prune "${lenet[@]}" "${scaled[@]}" --bn-statistics frozen --mask-pull 30 --resume --output "$out/crisp-lenet5/pull30-flops-0.1" ;;
    sampled-resnet20)  # docs/CHIPNET.md, "Sampled gates": ResNet-20 at FLOPs 0.1, the dense model of crisp-resnet20
      [ -f "$out/dense-r20/train-report.json" ] || "$cli" train --model resnet20 --epochs 2 --output "$out/dense-r20"
      r20=(--model resnet20 --pretrained "$out/dense-r20" --budget flops=0.1 --gate-sampling bernoulli)
      for weight in 30 100 300; do
        "$cli" prune "${r20[@]}" --limit 10000 --epochs 6 --finetune-epochs 2 --budget-weight $weight \
          --resume --output "$out/sampled-resnet20/screen-w$weight"
      done
      "$cli" prune "${r20[@]}" --epochs 10 --finetune-epochs 2 --budget-weight 300 \
        --resume --output "$out/sampled-resnet20/full-w300" ;;
    sampled)  # docs/CHIPNET.md, "The other runs of the gap test": sampled gates with budget weight 300 (the default
              # since) at full length on LeNet-5 at FLOPs 0.25 and 0.1 (20 epochs) and ResNet-20 at FLOPs 0.5 (10 epochs)
      [ -f "$out/crisp-lenet5/dense/train-report.json" ] ||
        "$cli" train --model lenet5 --epochs 3 --output "$out/crisp-lenet5/dense"
      [ -f "$out/dense-r20/train-report.json" ] || "$cli" train --model resnet20 --epochs 2 --output "$out/dense-r20"
      for budget in 0.25 0.1; do
        "$cli" prune --model lenet5 --pretrained "$out/crisp-lenet5/dense" --budget flops=$budget --finetune-epochs 2 \
          --gate-sampling bernoulli --budget-weight 300 --resume --output "$out/sampled/lenet5-flops-$budget"
      done
      "$cli" prune --model resnet20 --pretrained "$out/dense-r20" --budget flops=0.5 --epochs 10 --finetune-epochs 2 \
        --gate-sampling bernoulli --budget-weight 300 --resume --output "$out/sampled/resnet20-flops-0.5" ;;
    other-methods)  # docs/RESULTS.md, "The other methods at the same length": from the dense models of the ChipNet
                    # rows, the hard mask at the budget (Group-HS after its 20 regularised epochs, weight decay 1e-4),
                    # then 2 fine-tuning epochs; a finished run is not redone
      [ -f "$out/crisp-lenet5/dense/train-report.json" ] ||
        "$cli" train --model lenet5 --epochs 3 --output "$out/crisp-lenet5/dense"
      [ -f "$out/dense-r20/train-report.json" ] || "$cli" train --model resnet20 --epochs 2 --output "$out/dense-r20"
      for run in lenet5:crisp-lenet5/dense:group-hs,l1,random:0.5,0.25,0.1 resnet20:dense-r20:group-hs,l1:0.5,0.1; do
        IFS=: read -r model dense methods budgets <<< "$run"
        for method in ${methods//,/ }; do
          for budget in ${budgets//,/ }; do
            dir="$out/other-methods/$model-$method-flops-$budget"
            [ -f "$dir/prune-report.json" ] || "$cli" prune --model "$model" --pretrained "$out/$dense" --method "$method" \
              --budget flops="$budget" --finetune-epochs 2 --resume --output "$dir"
          done
        done
      done ;;
    full-lenet5)  # issue 15's headline: LeNet-5 on all training images, dense 15 epochs, 20 pruning epochs, 5
                  # fine-tuning epochs, ChipNet (default recipe), L1, Group-HS and random at FLOPs 0.5, 0.25, 0.1
      "$cli" sweep --model lenet5 --methods chipnet,l1,group-hs,random --budgets flops=0.5,flops=0.25,flops=0.1 \
        --pretrain-epochs 15 --epochs 20 --finetune-epochs 5 --output "$out/full-lenet5" ;;
    full-resnet20)  # ResNet-20 on all training images: dense 15 epochs, 10 pruning epochs, 5 fine-tuning epochs
      "$cli" sweep --model resnet20 --methods chipnet,l1,group-hs --budgets flops=0.5,flops=0.1 \
        --pretrain-epochs 15 --epochs 10 --finetune-epochs 5 --output "$out/full-resnet20" ;;
    deephoyer)
      "$root/scripts/deephoyer-lenet5.sh" "$out/deephoyer-lenet5" ;;
    *) echo "unknown step '$step': use one of: $steps" >&2; exit 2 ;;
  esac
done
