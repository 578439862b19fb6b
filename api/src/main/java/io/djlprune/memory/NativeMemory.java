package io.djlprune.memory;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what native memory a training run holds: the process's resident set size and the number of native arrays
 * alive in the engine. The count is the reliable leak signal: it is exact and deterministic, while the resident size
 * moves with the allocator's caching. Arrays are counted from the root of the given manager's tree (DJL's system
 * manager on the PyTorch engine), so an array left on any manager of the engine — the model's, the trainer's, an
 * application's base manager — is counted, not only those of the manager passed in.
 */
public final class NativeMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private NativeMemory() {}

    /**
     * Samples the resident size and the live arrays of the engine that {@code manager} belongs to.
     *
     * @param manager any manager of the engine, e.g. the trainer's
     * @return the sample
     */
    public static MemorySample sample(NDManager manager) {
        return new MemorySample(residentBytes(), liveArrays(manager));
    }

    /**
     * Counts the arrays alive under the root of {@code manager}'s tree.
     *
     * @param manager any manager of the engine
     * @return the number of open arrays
     */
    public static int liveArrays(NDManager manager) {
        NDManager root = manager;
        while (root.getParentManager() != null && root.getParentManager() != root) {
            root = root.getParentManager();
        }
        return root.getManagedArrays().size();
    }

    /**
     * Returns the process's resident set size.
     *
     * @return bytes, or -1 where {@code /proc/self/status} is not available (non-Linux systems)
     */
    public static long residentBytes() {
        List<String> lines;
        try {
            lines = Files.readAllLines(STATUS, StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            return -1; // not Linux: the live-array count still works, the resident size is reported as unknown
        }
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                // "VmRSS:     123456 kB"
                String[] fields = line.substring(6).trim().split("\\s+");
                return Long.parseLong(fields[0]) * 1024;
            }
        }
        return -1;
    }
}
