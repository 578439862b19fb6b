package io.djlprune.cost;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link LatencyTable} was measured for: a table only predicts the latency of the same network on the same
 * device, engine build, batch size and thread counts, sampled on the same grid step, so a stored table with another
 * key is not used. The oneDNN kernel limit is part of it because it changes CPU convolution times several-fold.
 *
 * @param device the device, e.g. {@code cpu()}
 * @param engine the engine name, e.g. PyTorch
 * @param engineVersion the engine's version (LibTorch's, e.g. 2.7.1)
 * @param graphFingerprint the {@link io.djlprune.graph.ChannelGraph#fingerprint()} of the network
 * @param batchSize the batch size of the timed forwards
 * @param threads the engine's intra-op threads
 * @param interopThreads the engine's inter-op threads
 * @param gridStep the channel step the grid was sampled on (the run's rounding step)
 * @param cpuKernels the CPU kernels oneDNN was limited to ({@code ONEDNN_MAX_CPU_ISA}), or "default"
 */
public record LatencyKey(
        String device,
        String engine,
        String engineVersion,
        String graphFingerprint,
        int batchSize,
        int threads,
        int interopThreads,
        int gridStep,
        String cpuKernels) {

    /**
     * Returns what differs between this key and another, one readable item per field, empty when they are equal.
     *
     * @param other the other key
     * @return the differences, e.g. {@code "batch size 64 ≠ 1"}
     */
    public List<String> differences(LatencyKey other) {
        List<String> out = new ArrayList<>();
        differ(out, "device", device, other.device);
        differ(out, "engine", engine, other.engine);
        differ(out, "engine version", engineVersion, other.engineVersion);
        differ(out, "network (graph fingerprint)", shortId(graphFingerprint), shortId(other.graphFingerprint));
        differ(out, "batch size", batchSize, other.batchSize);
        differ(out, "intra-op threads", threads, other.threads);
        differ(out, "inter-op threads", interopThreads, other.interopThreads);
        differ(out, "grid step", gridStep, other.gridStep);
        differ(out, "CPU kernels (ONEDNN_MAX_CPU_ISA)", cpuKernels, other.cpuKernels);
        return out;
    }

    private static void differ(List<String> out, String name, Object mine, Object theirs) {
        if (mine == null ? theirs != null : !mine.equals(theirs)) {
            out.add(name + " " + mine + " ≠ " + theirs);
        }
    }

    private static String shortId(String fingerprint) {
        return fingerprint == null || fingerprint.length() < 12 ? String.valueOf(fingerprint) : fingerprint.substring(0, 12);
    }
}
