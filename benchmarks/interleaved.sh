#!/usr/bin/env bash
# Dense and compacted latency interleaved in one process (io.djlprune.benchmarks.InterleavedLatency): the latency
# ratios to read on a shared machine, where separate processes differ by up to 2x. Writes JSON and a Markdown table.
#   benchmarks/interleaved.sh results/interleaved.json                     # ResNet-20, batch 64, .pt, 3 budgets
#   benchmarks/interleaved.sh results/i.json --batch 1 --form djl --rounds 100
# MVN_FLAGS adds Maven flags, e.g. MVN_FLAGS=-o to build offline.
set -euo pipefail
usage="usage: benchmarks/interleaved.sh <result.json> [--model M] [--batch N] [--form pt|djl] [--orders a,b] \
[--budgets x,y] [--rounds N] [--warmup N] [--device D] [--threads N]"
# shellcheck source=prepare.sh
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
shift
java -Dai.djl.offline=true -Xmx2g -cp "$cp" io.djlprune.benchmarks.InterleavedLatency "$out" "$@"
