# Sourced by the djl-prune launcher and benchmarks/run.sh: picks LibTorch's CPU kernels before a JVM starts.
# On AMD Zen 5 (CPU family 26) LibTorch 2.7.1's oneDNN AVX2/AVX-512 convolutions returned NaN now and then for some
# narrow, pruned layers (a compacted ResNet-20 forward: 39 of 300 with the same input; 0 of 300 with SSE4.1 kernels),
# so there oneDNN is limited to SSE4.1 unless ONEDNN_MAX_CPU_ISA is already set. Other CPUs keep oneDNN's own choice.
if [ -z "${ONEDNN_MAX_CPU_ISA:-}" ] && grep -q AuthenticAMD /proc/cpuinfo 2>/dev/null \
    && grep -qE '^cpu family\s*:\s*26$' /proc/cpuinfo; then
  export ONEDNN_MAX_CPU_ISA=SSE41
  echo "djl-prune: AMD Zen 5 CPU: oneDNN limited to SSE4.1 kernels (see README, 'CPU kernels'); set ONEDNN_MAX_CPU_ISA to override" >&2
fi
