#!/usr/bin/env bash
# The same ResNet-20 networks (dense and compacted) through LibTorch (.pt) and ONNX Runtime (.onnx), interleaved in
# one process (io.djlprune.benchmarks.OnnxLatency), both with the same thread count. Writes JSON and a Markdown table.
#   benchmarks/onnx-latency.sh results/onnx-latency.json                  # ResNet-20, batch 64, 1 thread
#   benchmarks/onnx-latency.sh results/o.json --batch 1 --rounds 100
# MVN_FLAGS adds Maven flags, e.g. MVN_FLAGS=-o to build offline.
set -euo pipefail
usage="usage: benchmarks/onnx-latency.sh <result.json> [--model M] [--batch N] [--budgets 1,0.5,0.25] \
[--rounds N] [--warmup N] [--threads N] [--order global|volume-r16]"
# shellcheck source=prepare.sh
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
shift
java -Dai.djl.offline=true -Xmx2g -cp "$cp" io.djlprune.benchmarks.OnnxLatency "$out" "$@"
