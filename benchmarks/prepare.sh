# Sourced by run.sh and interleaved.sh after they set `usage`: checks that the first argument is the result path
# (sets `out`, creates its folder), moves to the project root, picks the CPU kernels and builds the module.
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "$usage" >&2
  exit 2
fi
out="$(realpath -m "$1")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p "$(dirname "$out")"
# shellcheck source=../scripts/cpu-kernels.sh
source "$root/scripts/cpu-kernels.sh"
# shellcheck source=../scripts/memory-allocator.sh
source "$root/scripts/memory-allocator.sh"
# shellcheck disable=SC2086
mvn -B -q -DskipTests ${MVN_FLAGS:-} -pl benchmarks -am package
cp="benchmarks/target/classes:benchmarks/target/lib/*"
