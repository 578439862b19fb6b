#!/usr/bin/env bash
# Builds the benchmarks module and runs the inference-latency and compact/export benchmarks, writing JMH's JSON to
# the given path and a Markdown table with compacted/dense latency ratios beside it (same name, .md).
#   benchmarks/run.sh results/jmh.json                    # the whole suite, about 8 minutes on 2 cores
#   benchmarks/run.sh results/jmh.json -p batch=64        # extra arguments go to JMH
# BENCH overrides the benchmark regex (default: InferenceLatencyBenchmark|CompactExportBenchmark).
# MVN_FLAGS adds Maven flags, e.g. MVN_FLAGS=-o to build offline.
set -euo pipefail
usage="usage: benchmarks/run.sh <result.json> [JMH arguments...]"
# shellcheck source=prepare.sh
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
shift
java -cp "$cp" org.openjdk.jmh.Main "${BENCH:-InferenceLatencyBenchmark|CompactExportBenchmark}" \
  -rf json -rff "$out" "$@"
table="${out%.json}.md"
java -cp "$cp" io.djlprune.benchmarks.LatencyRatios "$out" | tee "$table"
echo "JMH results: $out; table: $table"
