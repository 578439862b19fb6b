package io.djlprune.cost;

import ai.djl.training.util.ProgressBar;
import ai.djl.util.Progress;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.ChannelMask;
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
 * widths; layers that time the same (equal {@link LatencyLayer#signature()} and grid) are measured once. Then the whole
 * network is timed compacted to a few uniform widths ({@link #CALIBRATION_FRACTIONS}, the dense network last), and the
 * {@link LatencyCalibration} maps a mask's summed layer times onto those networks' times, so the table predicts each of
 * them, the dense one included, as measured. Each pass is timed interleaved: every round runs each forward once, the
 * order rotated, and a forward's time is its median over the rounds, so a machine whose load changes while the table
 * is built (another process starting) shifts all of a pass alike instead of some. The networks are timed in a pass of
 * their own because among hundreds of small modules, which empty the caches between them, a network runs 2–3× slower
 * than it does when served. The grid of a prunable axis holds 1, the multiples of the key's grid step and the full
 * width; when those are more than {@code maxSamples}, it keeps every k-th multiple so that at most that many remain. An
 * axis without prunable channels has one sample, its full width.
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

    /**
     * The widths, as fractions of every prunable group, at which the whole network is timed to calibrate the layers'
     * sum; the last is the dense network.
     */
    static final double[] CALIBRATION_FRACTIONS = {0, 0.125, 0.25, 0.5, 0.75, 1};

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
        // every distinct sample once: (layer, in, out) → its index among the forwards
        Map<String, Integer> distinct = new LinkedHashMap<>();
        List<double[][]> grids = new ArrayList<>();
        List<LayerTimer.Forward> forwards = new ArrayList<>();
        try {
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
            double[][] millis = interleaved(forwards, "Timing " + forwards.size() + " layer samples");
            List<LatencyTable.LayerTimes> times = new ArrayList<>();
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
            }
            closeAll(forwards);
            Calibrated calibrated = calibrate(graph, times);
            logger.info(
                    "Latency table: {} layers ({} distinct, {} samples), dense {} ms; whole networks (layer sum →"
                            + " network): {}; {} interleaved rounds, measured in {} s",
                    layers.size(), distinct.size(), millis.length,
                    String.format("%.3f", calibrated.denseMillis()), calibrated.calibration(), warmup + repeats,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            return new LatencyTable(key, calibrated.denseMillis(), calibrated.calibration(), times);
        } finally {
            closeAll(forwards);
        }
    }

    /** The calibration and the dense network's measured time. */
    private record Calibrated(LatencyCalibration calibration, double denseMillis) {}

    /**
     * Times the whole network compacted to each of the {@link #CALIBRATION_FRACTIONS}, interleaved, and fits the map
     * from their summed layer times to their measured times.
     */
    private Calibrated calibrate(ChannelGraph graph, List<LatencyTable.LayerTimes> times) {
        List<ChannelMask> masks = calibrationMasks(graph, key.gridStep());
        List<LayerTimer.Forward> networks = new ArrayList<>();
        try {
            for (ChannelMask mask : masks) {
                networks.add(timer.network(graph, mask));
            }
            double[][] millis = interleaved(networks, "Timing the network at " + masks.size() + " widths");
            double[] sums = new double[masks.size()];
            double[] medians = new double[masks.size()];
            for (int k = 0; k < masks.size(); k++) {
                sums[k] = LatencyTable.layerSum(graph, times, masks.get(k)::keptCount);
                medians[k] = median(millis[k]);
            }
            return new Calibrated(LatencyCalibration.fit(sums, medians), medians[medians.length - 1]);
        } finally {
            closeAll(networks);
        }
    }

    /**
     * The masks of the calibration networks: every prunable group keeps its first channels, a fraction of them rounded
     * up to the grid step (at least 1; fraction 0 keeps one channel), duplicates left out; the full mask last.
     */
    static List<ChannelMask> calibrationMasks(ChannelGraph graph, int step) {
        List<ChannelMask> masks = new ArrayList<>();
        for (double fraction : CALIBRATION_FRACTIONS) {
            boolean[][] keep = new boolean[graph.groups().size()][];
            for (ChannelGroup group : graph.groups()) {
                int size = group.size();
                int width = size;
                if (group.prunable()) {
                    width = fraction == 0 ? 1 : (int) Math.min(size, Math.ceil(fraction * size / step) * step);
                    width = Math.max(1, width);
                }
                keep[group.id()] = new boolean[size];
                Arrays.fill(keep[group.id()], 0, width, true);
            }
            ChannelMask mask = ChannelMask.of(graph, keep);
            if (!masks.contains(mask)) {
                masks.add(mask);
            }
        }
        return masks;
    }

    private static void closeAll(List<LayerTimer.Forward> forwards) {
        for (LayerTimer.Forward forward : forwards) {
            forward.close();
        }
        forwards.clear();
    }

    /**
     * Runs every forward once per round, the order rotated each round, so that a change of the machine's load meets
     * every sample alike; the warm-up rounds are not kept.
     */
    private double[][] interleaved(List<LayerTimer.Forward> forwards, String what) {
        int n = forwards.size();
        double[][] millis = new double[n][repeats];
        progress.reset(what, (long) (warmup + repeats) * n);
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
