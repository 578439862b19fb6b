package io.djlprune.latency;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Progress;
import io.djlprune.cost.LatencyKey;
import io.djlprune.cost.LatencyTable;
import io.djlprune.cost.LatencyTableBuilder;
import io.djlprune.cost.LatencyTableFile;
import io.djlprune.engine.Engines;
import io.djlprune.engine.MemoryAllocator;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the {@link LatencyTable} of a network on a device from its cache file, or measures it there through LibTorch,
 * every layer sample and the dense network as TorchScript modules ({@link LibTorchLayerTimer}), and stores it. The key is the device, LibTorch's version, the graph's fingerprint, the
 * batch size, the engine's intra- and inter-op threads as this process has them, the grid step and the oneDNN kernel
 * limit ({@code ONEDNN_MAX_CPU_ISA}); a stored table with
 * another key is not used, and the log says which fields differ.
 *
 * <pre>
 * LatencyTable table = LatencyTables.builder().setDevice(Device.cpu()).setClassifier(classifier).optBatchSize(64).build()
 *         .loadOrBuild(Path.of("runs/latency/resnet20.json"), graph, block);
 * </pre>
 */
public final class LatencyTables {

    /** Batch size of the timed forwards unless the builder says otherwise: the sweep's latency batch. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** Untimed rounds unless the builder says otherwise. */
    public static final int DEFAULT_WARMUP = LatencyTableBuilder.DEFAULT_WARMUP;

    /** Timed rounds (each sample's median over them is kept) unless the builder says otherwise. */
    public static final int DEFAULT_REPEATS = LatencyTableBuilder.DEFAULT_REPEATS;

    private static final Logger logger = LoggerFactory.getLogger(LatencyTables.class);

    private final Device device;
    private final OpClassifier classifier;
    private final int batchSize;
    private final int gridStep;
    private final int maxSamples;
    private final int warmup;
    private final int repeats;
    private final Progress progress;

    private LatencyTables(Builder builder) {
        this.device = builder.device;
        this.classifier = builder.classifier;
        this.batchSize = builder.batchSize;
        this.gridStep = builder.gridStep;
        this.maxSamples = builder.maxSamples;
        this.warmup = builder.warmup;
        this.repeats = builder.repeats;
        this.progress = builder.progress;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the key of a table of the graph measured now, in this process, with these settings.
     *
     * @param graph the network's graph
     * @return the key
     */
    public LatencyKey key(ChannelGraph graph) {
        Engine engine = Engines.pytorch();
        return new LatencyKey(
                device.toString(), engine.getEngineName(), engine.getVersion(), graph.fingerprint(), batchSize,
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), gridStep, cpuKernels());
    }

    /** The oneDNN kernel limit of this process, which changes CPU convolution times. */
    private static String cpuKernels() {
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        return isa == null || isa.isBlank() ? "default" : isa;
    }

    /**
     * Returns the cached table when its key matches, else measures the table and stores it in the cache file.
     *
     * @param cache the cache file (its folders are created)
     * @param graph the network's graph
     * @param network the initialised network (its dense forward is timed)
     * @return the table
     * @throws IOException if the cache exists but is not a table, or the new table cannot be written
     */
    public LatencyTable loadOrBuild(Path cache, ChannelGraph graph, Block network) throws IOException {
        LatencyKey key = key(graph);
        LatencyTableFile.Lookup lookup = LatencyTableFile.read(cache, key);
        if (lookup.found()) {
            logger.info("Latency table from {} (device {}, batch {}, {} threads)", cache, key.device(), batchSize,
                    key.threads());
            return lookup.table();
        }
        logger.info("Measuring the latency table: {}", lookup.refusal());
        LatencyTable table = build(graph, network);
        LatencyTableFile.write(table, cache);
        logger.info("Latency table stored in {}", cache);
        return table;
    }

    /**
     * Measures the table without any cache.
     *
     * @param graph the network's graph
     * @param network the initialised network
     * @return the table
     * @throws IOException if the folder of the timed archives cannot be created
     */
    public LatencyTable build(ChannelGraph graph, Block network) throws IOException {
        String allocator = MemoryAllocator.advice();
        if (allocator != null) {
            logger.warn("The latency table may time page faults: {}", allocator);
        }
        try (NDManager manager = NDManager.newBaseManager(device, Engines.PYTORCH);
                LibTorchLayerTimer timer = new LibTorchLayerTimer(network, classifier, manager, batchSize)) {
            boolean recording = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                LatencyTableBuilder.Builder builder =
                        LatencyTableBuilder.builder()
                                .setKey(key(graph))
                                .setTimer(timer)
                                .optMaxSamples(maxSamples)
                                .optRounds(warmup, repeats);
                if (progress != null) {
                    builder.optProgress(progress);
                }
                return builder.build().measure(graph);
            } finally {
                JniUtils.setGradMode(recording);
            }
        }
    }

    /** Configures {@link LatencyTables}. */
    public static final class Builder {
        private Device device;
        private OpClassifier classifier;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int gridStep = 1;
        private int maxSamples = LatencyTableBuilder.DEFAULT_MAX_SAMPLES;
        private int warmup = DEFAULT_WARMUP;
        private int repeats = DEFAULT_REPEATS;
        private Progress progress;

        private Builder() {}

        /**
         * Sets the device the table is measured on: the one that will serve the model.
         *
         * @param device the device
         * @return this builder
         */
        public Builder setDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Sets the classifier that describes the network's blocks (the one its graph was built with); the timed layers
         * are written as TorchScript with it.
         *
         * @param classifier the classifier
         * @return this builder
         */
        public Builder setClassifier(OpClassifier classifier) {
            this.classifier = classifier;
            return this;
        }

        /**
         * Sets the batch size of the timed forwards (default {@value #DEFAULT_BATCH_SIZE}).
         *
         * @param batchSize ≥ 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the grid step: the rounding step of the masks the table will cost (default 1).
         *
         * @param gridStep ≥ 1
         * @return this builder
         */
        public Builder optGridStep(int gridStep) {
            this.gridStep = gridStep;
            return this;
        }

        /**
         * Sets the most samples per axis (default {@value LatencyTableBuilder#DEFAULT_MAX_SAMPLES}).
         *
         * @param maxSamples ≥ 3
         * @return this builder
         */
        public Builder optMaxSamples(int maxSamples) {
            this.maxSamples = maxSamples;
            return this;
        }

        /**
         * Sets the untimed and timed rounds (defaults {@value #DEFAULT_WARMUP} and {@value #DEFAULT_REPEATS}); every
         * round runs each sample once, and each sample's median over the timed rounds is kept.
         *
         * @param warmup ≥ 0
         * @param repeats ≥ 1
         * @return this builder
         */
        public Builder optRepeats(int warmup, int repeats) {
            this.warmup = warmup;
            this.repeats = repeats;
            return this;
        }

        /**
         * Sets where the measurement's progress shows (default: DJL's progress bar).
         *
         * @param progress the progress
         * @return this builder
         */
        public Builder optProgress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Builds it.
         *
         * @return the loader
         * @throws IllegalArgumentException naming the bad setting
         */
        public LatencyTables build() {
            if (device == null || classifier == null) {
                throw new IllegalArgumentException(
                        "Set the device the latency table is measured on (setDevice) and the network's op classifier"
                                + " (setClassifier)");
            }
            if (batchSize < 1 || gridStep < 1 || maxSamples < 3 || warmup < 0 || repeats < 1) {
                throw new IllegalArgumentException(String.format(
                        "Latency table settings out of range: batch %d (≥ 1), grid step %d (≥ 1), samples %d (≥ 3),"
                                + " warm-up %d (≥ 0), repeats %d (≥ 1)", batchSize, gridStep, maxSamples, warmup, repeats));
            }
            return new LatencyTables(this);
        }
    }
}
