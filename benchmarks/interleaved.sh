#!/usr/bin/env bash
# Dense and compacted latency interleaved in one process (io.djlprune.benchmarks.InterleavedLatency): the latency
# ratios to read on a shared machine, where separate processes differ by up to 2x. Writes JSON and a Markdown table.
#   benchmarks/interleaved.sh results/interleaved.json                     # ResNet-20, batch 64, .pt, 3 budgets
#   benchmarks/interleaved.sh results/i.json --batch 1 --form djl --rounds 100
# MVN_FLAGS adds Maven flags, e.g. MVN_FLAGS=-o to build offline.
set -euo pipefail
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: benchmarks/interleaved.sh <result.json> [--model M] [--batch N] [--form pt|djl] [--orders a,b]" \
    "[--budgets x,y] [--rounds N] [--warmup N] [--device D] [--threads N]" >&2
  exit 2
fi
out="$(realpath -m "$1")"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p "$(dirname "$out")"
# shellcheck source=../scripts/cpu-kernels.sh
source "$root/scripts/cpu-kernels.sh"
# shellcheck disable=SC2086
mvn -B -q -DskipTests ${MVN_FLAGS:-} -pl benchmarks -am package
java -Dai.djl.offline=true -Xmx2g -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  io.djlprune.benchmarks.InterleavedLatency "$out" "$@"
