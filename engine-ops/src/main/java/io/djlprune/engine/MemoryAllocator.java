package io.djlprune.engine;

import java.util.Locale;
import java.util.Map;

/**
 * Whether the process's C allocator reuses freed tensors. LibTorch allocates every activation anew in each forward, and
 * glibc's malloc by default serves blocks above its mmap threshold with fresh pages that fault in one by one: on the VM
 * this project was measured on, a convolution timed alone then took 17× its time inside a network, which makes a latency
 * table measure page faults instead of kernels (README, "CPU memory allocator"). The {@code djl-prune} launcher sets
 * {@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_} and {@code MALLOC_ARENA_MAX} (threads other than the
 * main one, such as every Java thread, otherwise get arenas that serve large blocks with fresh pages again); a JVM
 * started otherwise gets this advice.
 */
public final class MemoryAllocator {

    private MemoryAllocator() {}

    /**
     * Returns what to set before the JVM starts, or null when nothing is needed: not Linux, the threshold and the
     * arena count set, or another allocator preloaded.
     *
     * @param environment the process's environment
     * @param osName the {@code os.name} system property
     * @return the advice, or null
     */
    public static String advice(Map<String, String> environment, String osName) {
        if (osName == null || !osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        if (environment.containsKey("MALLOC_MMAP_THRESHOLD_") && environment.containsKey("MALLOC_ARENA_MAX")) {
            return null;
        }
        String preload = environment.getOrDefault("LD_PRELOAD", "").toLowerCase(Locale.ROOT);
        if (preload.contains("jemalloc") || preload.contains("tcmalloc") || preload.contains("mimalloc")) {
            return null;
        }
        return "MALLOC_MMAP_THRESHOLD_ or MALLOC_ARENA_MAX is not set, so glibc gives large tensors fresh pages in every"
                + " forward and latencies include their page faults (up to 17× a layer's time alone, 6× a ResNet-20"
                + " forward): start the JVM with MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=536870912"
                + " MALLOC_ARENA_MAX=1 in its environment, as the djl-prune launcher does (README, 'CPU memory"
                + " allocator')";
    }

    /**
     * Returns the advice for this process.
     *
     * @return the advice, or null
     */
    public static String advice() {
        return advice(System.getenv(), System.getProperty("os.name"));
    }
}
