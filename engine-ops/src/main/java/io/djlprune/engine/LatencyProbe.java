package io.djlprune.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Times a model's forward on one batch of random input; the one latency measurement of djl-prune's commands. It runs
 * a few untimed warm-up forwards, then times repeated forwards, each waiting for its output as a caller would, and
 * reports their median (robust to the stalls another process causes on a shared machine) with the mean and the
 * fastest beside it. Autograd recording is off while it times and restored afterwards. This is a quick in-process
 * measurement; the JMH benchmarks are the careful one.
 *
 * <pre>
 * LatencyProbe probe = LatencyProbe.builder().optRepeats(20).build();
 * Latency latency = probe.measure(Path.of("model.pt"), Device.cpu(), new Shape(64, 1, 28, 28));
 * </pre>
 */
public final class LatencyProbe {

    /** Untimed forwards before timing, unless the builder says otherwise. */
    public static final int DEFAULT_WARMUP = 5;

    /** Timed forwards, unless the builder says otherwise. */
    public static final int DEFAULT_REPEATS = 20;

    private final int warmup;
    private final int repeats;

    private LatencyProbe(Builder builder) {
        this.warmup = builder.warmup;
        this.repeats = builder.repeats;
    }

    /**
     * Returns a builder with {@link #DEFAULT_WARMUP} warm-up and {@link #DEFAULT_REPEATS} timed forwards.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads a TorchScript archive through LibTorch with {@link LoadedTorchScript} (the way a server would) and times its
     * forward.
     *
     * @param torchScript the {@code .pt} file
     * @param device where to run it
     * @param batchShape the input shape, batch size first
     * @return the latency
     * @throws IOException if the file cannot be read
     * @throws MalformedModelException if LibTorch refuses the archive
     * @throws IllegalArgumentException if the shape has no batch axis or an unknown size
     */
    public Latency measure(Path torchScript, Device device, Shape batchShape)
            throws IOException, MalformedModelException {
        checkShape(batchShape);
        try (LoadedTorchScript script = LoadedTorchScript.load(torchScript, device);
                NDManager manager = NDManager.newBaseManager(device, Engines.PYTORCH)) {
            return measure(script::predict, manager, batchShape);
        }
    }

    /**
     * Times a forward function, e.g. a DJL block's {@code forward} in inference mode or a loaded script's
     * {@code predict}.
     *
     * @param forward the forward to time; it must not keep or close its input
     * @param manager where to create the random input (its device is the one measured)
     * @param batchShape the input shape, batch size first
     * @return the latency
     * @throws IllegalArgumentException if the shape has no batch axis or an unknown size
     */
    public Latency measure(Function<NDList, NDList> forward, NDManager manager, Shape batchShape) {
        checkShape(batchShape);
        Engines.pytorch();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            NDList input = new NDList(scope.randomNormal(batchShape));
            for (int i = 0; i < warmup; i++) {
                runAndWait(forward, input);
            }
            double[] millis = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                runAndWait(forward, input);
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            return new Latency(
                    manager.getDevice().toString(), batchShape.get(0), warmup, repeats, median(millis),
                    Arrays.stream(millis).average().orElseThrow(), Arrays.stream(millis).min().orElseThrow());
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** Runs one forward and copies its first output to the host, which waits for the result as a caller would. */
    private static void runAndWait(Function<NDList, NDList> forward, NDList input) {
        try (NDList output = forward.apply(input)) {
            output.head().toByteArray();
        }
    }

    /**
     * Returns the median of the values.
     *
     * @param values at least one value
     * @return the middle value, or the mean of the two middle ones
     */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void checkShape(Shape batchShape) {
        if (batchShape.dimension() < 1 || Arrays.stream(batchShape.getShape()).anyMatch(size -> size < 1)) {
            throw new IllegalArgumentException(
                    "A latency is timed on a batch of known size with the batch axis first, got shape " + batchShape);
        }
    }

    /** Builds a {@link LatencyProbe}. */
    public static final class Builder {

        private int warmup = DEFAULT_WARMUP;
        private int repeats = DEFAULT_REPEATS;

        private Builder() {}

        /**
         * Sets the untimed forwards before timing.
         *
         * @param warmup 0 or more
         * @return this builder
         */
        public Builder optWarmup(int warmup) {
            this.warmup = warmup;
            return this;
        }

        /**
         * Sets the timed forwards whose median is reported.
         *
         * @param repeats 1 or more
         * @return this builder
         */
        public Builder optRepeats(int repeats) {
            this.repeats = repeats;
            return this;
        }

        /**
         * Builds the probe.
         *
         * @return the probe
         * @throws IllegalArgumentException if the warm-up is negative or the repeats are fewer than 1
         */
        public LatencyProbe build() {
            if (warmup < 0) {
                throw new IllegalArgumentException("Warm-up forwards must be ≥ 0, got " + warmup);
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("Timed forwards must be ≥ 1, got " + repeats);
            }
            return new LatencyProbe(this);
        }
    }
}
