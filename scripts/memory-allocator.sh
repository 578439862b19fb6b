# Sourced by the djl-prune launcher and benchmarks/prepare.sh before a JVM starts: keeps glibc's malloc from giving
# every large tensor its own fresh pages. By default glibc serves an allocation above its mmap threshold (128 KiB,
# raised only as such blocks are freed) with new pages from the kernel, which fault in one by one when first written;
# LibTorch allocates every activation anew in each forward. On this project's VM that made one 16→16 convolution with
# BatchNorm and ReLU (batch 64, 32×32) take 52 ms instead of 3 ms when timed alone, a dense ResNet-20 forward 208 ms
# instead of 34 ms in Python's PyTorch, and a ChipNet training epoch about 1.5× as long (README, "CPU memory
# allocator"). With the thresholds below, freed blocks are reused. LibTorch is called from Java threads, and glibc
# gives threads other than the main one arenas whose heaps grow to 64 MiB at most, serving what does not fit there with
# fresh pages again (MobileNetV2's 29 MB activations at batch 64): one arena puts every thread on the main heap. Values
# already set are kept; a process that preloads another allocator (jemalloc, tcmalloc) ignores them.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-536870912}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
