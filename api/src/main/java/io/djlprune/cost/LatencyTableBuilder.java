package io.djlprune.cost;

import ai.djl.training.util.ProgressBar;
import ai.djl.util.Progress;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a {@link LatencyTable}: every {@link LatencyLayer} of a graph is timed at a grid of kept input and output
 * widths, and the dense network as a whole; layers that time the same (equal {@link LatencyLayer#signature()} and grid)
 * are measured once. The samples are timed interleaved: every round runs each of them once, the order rotated, and a
 * sample's time is its median over the rounds, so a machine whose load changes while the table is built (another
 * process starting) shifts all samples alike instead of some. The part no mask changes is the dense network's median
 * minus the sum of the layers' full-width medians, so the table predicts the dense network's median for the full mask. The grid of a prunable axis holds 1, the multiples of the key's grid step and the full width; when
 * those are more than {@code maxSamples}, it keeps every k-th multiple so that at most that many remain. An axis without
 * prunable channels has one sample, its full width.
 *
 * <pre>
 * LatencyTable table = LatencyTableBuilder.builder().setKey(key).setTimer(timer).build().measure(graph);
 * </pre>
 */
public final class LatencyTableBuilder {

    /** Samples per axis unless the builder says otherwise. */
    public static final int DEFAULT_MAX_SAMPLES = 6;

    /** Untimed rounds unless the builder says otherwise. */
    public static final int DEFAULT_WARMUP = 2;

    /** Timed rounds (each sample's median over them is kept) unless the builder says otherwise. */
    public static final int DEFAULT_REPEATS = 7;

    private static final Logger logger = LoggerFactory.getLogger(LatencyTableBuilder.class);

    private final LatencyKey key;
    private final LayerTimer timer;
    private final int maxSamples;
    private final int warmup;
    private final int repeats;
    private final Progress progress;

    private LatencyTableBuilder(Builder builder) {
        this.key = builder.key;
        this.timer = builder.timer;
        this.maxSamples = builder.maxSamples;
        this.warmup = builder.warmup;
        this.repeats = builder.repeats;
        this.progress = builder.progress != null ? builder.progress : new ProgressBar();
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
     * Times the graph's layers and the dense network and returns the table.
     *
     * @param graph the graph, whose fingerprint must be the key's
     * @return the table
     * @throws IllegalArgumentException if the key names another graph or the graph has no prunable layer
     */
    public LatencyTable measure(ChannelGraph graph) {
        if (!graph.fingerprint().equals(key.graphFingerprint())) {
            throw new IllegalArgumentException("The latency key names graph " + key.graphFingerprint()
                    + " but the graph to time is " + graph.fingerprint());
        }
        long start = System.nanoTime();
        List<LatencyLayer> layers = LatencyLayers.of(graph);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("The network has no prunable layer, so there is no latency to tabulate");
        }
        // every distinct sample once: (layer, in, out) → its index among the forwards (0 is the dense network)
        Map<String, Integer> distinct = new LinkedHashMap<>();
        List<double[][]> grids = new ArrayList<>();
        List<LayerTimer.Forward> forwards = new ArrayList<>();
        try {
            forwards.add(timer.network(graph));
            for (LatencyLayer layer : layers) {
                double[][] grid = grids(graph, layer);
                grids.add(grid);
                String id = id(layer, grid);
                if (distinct.containsKey(id)) {
                    continue;
                }
                distinct.put(id, forwards.size());
                for (double in : grid[0]) {
                    for (double out : grid[1]) {
                        long width = layer.kind() == LatencyLayer.Kind.CHANNELWISE ? (long) out : (long) in;
                        forwards.add(timer.layer(graph, layer, width, (long) out));
                    }
                }
            }
            double[][] millis = interleaved(forwards);
            List<LatencyTable.LayerTimes> times = new ArrayList<>();
            double fullSum = 0;
            for (int k = 0; k < layers.size(); k++) {
                LatencyLayer layer = layers.get(k);
                double[][] grid = grids.get(k);
                int first = distinct.get(id(layer, grid));
                double[][] medians = new double[grid[0].length][grid[1].length];
                for (int i = 0; i < grid[0].length; i++) {
                    for (int j = 0; j < grid[1].length; j++) {
                        medians[i][j] = median(millis[first + i * grid[1].length + j]);
                    }
                }
                times.add(new LatencyTable.LayerTimes(layer, grid[0], grid[1], medians));
                // the full width is the last sample of both axes
                fullSum += medians[grid[0].length - 1][grid[1].length - 1];
            }
            double dense = median(millis[0]);
            // a sum of medians, not the median of per-round sums: a round with a stall in any of its many forwards
            // would count in the latter
            double fixed = dense - fullSum;
            if (fixed < 0) {
                logger.warn(
                        "The timed layers at full width take {} ms more than the whole network's {} ms (each block"
                                + " timed alone pays its own call overhead); the part no mask changes is taken as 0",
                        String.format("%.3f", -fixed), String.format("%.3f", dense));
                fixed = 0;
            }
            logger.info(
                    "Latency table: {} layers ({} distinct, {} samples), dense {} ms, of which {} ms no mask changes;"
                            + " {} interleaved rounds measured in {} s",
                    layers.size(), distinct.size(), forwards.size() - 1, String.format("%.3f", dense),
                    String.format("%.3f", fixed), warmup + repeats,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            return new LatencyTable(key, dense, fixed, times);
        } finally {
            for (LayerTimer.Forward forward : forwards) {
                forward.close();
            }
        }
    }

    /**
     * Runs every forward once per round, the order rotated each round, so that a change of the machine's load meets
     * every sample alike; the warm-up rounds are not kept.
     */
    private double[][] interleaved(List<LayerTimer.Forward> forwards) {
        int n = forwards.size();
        double[][] millis = new double[n][repeats];
        progress.reset("Timing " + (n - 1) + " layer samples and the network", (long) (warmup + repeats) * n);
        long done = 0;
        for (int round = -warmup; round < repeats; round++) {
            for (int k = 0; k < n; k++) {
                int s = Math.floorMod(k + round, n);
                double ms = forwards.get(s).millis();
                if (round >= 0) {
                    millis[s][round] = ms;
                }
                progress.update(done++);
            }
        }
        progress.end();
        return millis;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String id(LatencyLayer layer, double[][] grid) {
        return layer.signature() + Arrays.toString(grid[0]) + Arrays.toString(grid[1]);
    }

    /** The input and output grids of a layer. */
    private double[][] grids(ChannelGraph graph, LatencyLayer layer) {
        LayerNode node = graph.layers().get(layer.layer());
        double[] out = axis(graph, node.output(), key.gridStep(), maxSamples);
        double[] in =
                layer.kind() == LatencyLayer.Kind.CHANNELWISE
                        ? new double[] {layer.inWidth()}
                        : axis(graph, node.input(), key.gridStep(), maxSamples);
        return new double[][] {in, out};
    }

    /**
     * The sampled widths of one axis: its full width alone if no run is prunable, else 1, multiples of the step and the
     * full width, in units of the features per channel (a flattened map's H·W), at most {@code maxSamples} of them.
     */
    static double[] axis(ChannelGraph graph, ChannelLayout layout, int step, int maxSamples) {
        long full = layout.width();
        long unit = Long.MAX_VALUE;
        for (Segment segment : layout.segments()) {
            if (graph.group(segment.group()).prunable()) {
                unit = Math.min(unit, segment.multiplier());
            }
        }
        if (unit == Long.MAX_VALUE) {
            return new double[] {full};
        }
        long channels = full / unit;
        long multiples = channels / step;
        long stride = Math.max(1, (multiples + maxSamples - 3) / Math.max(1, maxSamples - 2));
        TreeSet<Long> widths = new TreeSet<>();
        widths.add(unit);
        for (long m = stride; m <= multiples; m += stride) {
            widths.add(m * step * unit);
        }
        widths.add(full);
        return widths.stream().mapToDouble(Long::doubleValue).toArray();
    }

    /** Configures a {@link LatencyTableBuilder}. */
    public static final class Builder {
        private LatencyKey key;
        private LayerTimer timer;
        private int maxSamples = DEFAULT_MAX_SAMPLES;
        private int warmup = DEFAULT_WARMUP;
        private int repeats = DEFAULT_REPEATS;
        private Progress progress;

        Builder() {}

        /**
         * Sets the untimed and the timed rounds (defaults {@value #DEFAULT_WARMUP} and {@value #DEFAULT_REPEATS}); every
         * round runs each sample once, and each sample's median over the timed rounds is kept.
         *
         * @param warmup ≥ 0
         * @param repeats ≥ 1
         * @return this builder
         */
        public Builder optRounds(int warmup, int repeats) {
            if (warmup < 0 || repeats < 1) {
                throw new IllegalArgumentException(
                        "Latency rounds: warm-up must be ≥ 0 and timed rounds ≥ 1, got " + warmup + " and " + repeats);
            }
            this.warmup = warmup;
            this.repeats = repeats;
            return this;
        }

        /**
         * Sets what the table is measured for; its grid step sets the grid.
         *
         * @param key the key
         * @return this builder
         */
        public Builder setKey(LatencyKey key) {
            this.key = key;
            return this;
        }

        /**
         * Sets what times the layers and the network.
         *
         * @param timer the timer
         * @return this builder
         */
        public Builder setTimer(LayerTimer timer) {
            this.timer = timer;
            return this;
        }

        /**
         * Sets the most samples per axis (default {@value #DEFAULT_MAX_SAMPLES}).
         *
         * @param maxSamples at least 3 (1, one multiple, the full width)
         * @return this builder
         */
        public Builder optMaxSamples(int maxSamples) {
            if (maxSamples < 3) {
                throw new IllegalArgumentException("A latency grid needs at least 3 samples per axis, got " + maxSamples);
            }
            this.maxSamples = maxSamples;
            return this;
        }

        /**
         * Sets where the progress of the measurement shows (default: DJL's {@link ProgressBar}).
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
         * @return the builder of tables
         * @throws IllegalArgumentException if the key or the timer is missing, or the grid step is below 1
         */
        public LatencyTableBuilder build() {
            if (key == null || timer == null) {
                throw new IllegalArgumentException("A latency table needs its key (setKey) and a timer (setTimer)");
            }
            if (key.gridStep() < 1) {
                throw new IllegalArgumentException("The latency grid step must be ≥ 1 channel, got " + key.gridStep());
            }
            return new LatencyTableBuilder(this);
        }
    }
}
