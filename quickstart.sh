#!/usr/bin/env bash
# The README's first command: builds everything, gets the default data if it is missing, and runs the main job.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash scripts/ensure-data.sh
mvn -B -q -DskipTests package
./djl-prune train --model lenet5 --epochs 5 --output runs/lenet5 --overwrite
