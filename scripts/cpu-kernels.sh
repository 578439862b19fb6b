# Sourced by the djl-prune launcher and benchmarks/run.sh: picks LibTorch's CPU kernels before a JVM starts.
# On AMD Zen 5 (CPU family 26) LibTorch 2.7.1's oneDNN AVX2/AVX-512 convolutions read the channel padding of layers
# whose input channels are not a multiple of the vector width from uninitialised memory, so they return NaN whenever
# that memory held NaN (DJL's Conv2d with 20 input channels after a NaN refill: 100 of 100 with AVX-512, 0 of 100 with
# SSE4.1; a compacted ResNet-20: 39 of 300 forwards), so there oneDNN is limited to SSE4.1 unless ONEDNN_MAX_CPU_ISA
# is already set. Other CPUs keep oneDNN's own choice.
if [ -z "${ONEDNN_MAX_CPU_ISA:-}" ] && grep -q AuthenticAMD /proc/cpuinfo 2>/dev/null \
    && grep -qE '^cpu family\s*:\s*26$' /proc/cpuinfo; then
  export ONEDNN_MAX_CPU_ISA=SSE41
  echo "djl-prune: AMD Zen 5 CPU: oneDNN limited to SSE4.1 kernels (see README, 'CPU kernels'); set ONEDNN_MAX_CPU_ISA to override" >&2
fi
