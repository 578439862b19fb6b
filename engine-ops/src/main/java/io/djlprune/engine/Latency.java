package io.djlprune.engine;

/**
 * What {@link LatencyProbe} measured: the time of one forward of one batch.
 *
 * @param device the device the forwards ran on, as DJL prints it (e.g. {@code cpu()})
 * @param batchSize the samples in the timed batch
 * @param warmup the untimed forwards before the timed ones
 * @param repeats the timed forwards
 * @param medianMs the median time of one forward, in milliseconds: the number to compare
 * @param meanMs the mean, which carries the stalls another process caused
 * @param minMs the fastest forward
 */
public record Latency(
        String device, long batchSize, int warmup, int repeats, double medianMs, double meanMs, double minMs) {}
