package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import io.djlprune.ndarray.OwnedArrays;
import java.util.List;
import java.util.function.Function;

/**
 * The latency model of a network on a device: for every {@link LatencyLayer} its measured time at a grid of kept input
 * and output channel counts, interpolated bilinearly between them, and a {@link LatencyCalibration} from the sum of a
 * mask's layer times to the time of the whole network, fitted to whole networks measured at a few widths. Predicted
 * latency of a mask = calibration(Σ layers time(kept in, kept out)). Built by
 * {@link LatencyTableBuilder}, stored and checked by {@link LatencyTableFile}; a {@link CostModel} given a table counts
 * {@link BudgetKind#LATENCY} with it.
 *
 * <p>Times are milliseconds of one forward of a batch of {@link LatencyKey#batchSize()}.
 */
public final class LatencyTable {

    private final LatencyKey key;
    private final double denseMillis;
    private final LatencyCalibration calibration;
    private final List<LayerTimes> layers;

    /**
     * One layer's samples: {@code millis[i][j]} is its time with {@code inGrid[i]} kept inputs and {@code outGrid[j]}
     * kept outputs. An axis that carries no prunable channel has one sample, its full width.
     *
     * @param layer the layer
     * @param inGrid the sampled input widths, ascending
     * @param outGrid the sampled output widths, ascending
     * @param millis the measured times
     */
    public record LayerTimes(LatencyLayer layer, double[] inGrid, double[] outGrid, double[][] millis) {

        /**
         * Creates the samples of a layer, checking their shape.
         *
         * @param layer the layer
         * @param inGrid the sampled input widths, ascending
         * @param outGrid the sampled output widths, ascending
         * @param millis the times, one row per input width
         * @throws IllegalArgumentException if the shapes do not match, a grid is not ascending or a time is not a
         *     finite non-negative number
         */
        public LayerTimes {
            if (layer == null || inGrid == null || outGrid == null || millis == null) {
                throw new IllegalArgumentException("A layer's latency samples need the layer, both grids and the times");
            }
            ascending(inGrid, "input");
            ascending(outGrid, "output");
            if (millis.length != inGrid.length) {
                throw new IllegalArgumentException("Layer " + layer.layer() + " has " + millis.length
                        + " rows of times for " + inGrid.length + " input widths");
            }
            for (double[] row : millis) {
                if (row == null || row.length != outGrid.length) {
                    throw new IllegalArgumentException("Layer " + layer.layer() + " has a row of times that does not"
                            + " match its " + outGrid.length + " output widths");
                }
                for (double t : row) {
                    if (!(t >= 0) || !Double.isFinite(t)) {
                        throw new IllegalArgumentException("Layer " + layer.layer() + " has a time of " + t + " ms");
                    }
                }
            }
        }

        /**
         * Returns the bilinear interpolation of the samples at (in, out), clamped to the grid.
         *
         * @param in kept input width
         * @param out kept output width
         * @return the time in ms
         */
        public double millisAt(double in, double out) {
            double[] wi = PiecewiseLinear.weights(inGrid, in);
            double[] wo = PiecewiseLinear.weights(outGrid, out);
            double total = 0;
            for (int i = 0; i < inGrid.length; i++) {
                for (int j = 0; j < outGrid.length; j++) {
                    total += wi[i] * wo[j] * millis[i][j];
                }
            }
            return total;
        }

        /** The same interpolation at soft widths, differentiable in both: w(in)ᵀ · T · w(out). */
        NDArray millisAt(NDArray in, NDArray out, NDManager manager) {
            NDArray wi = PiecewiseLinear.weights(inGrid, in, manager).reshape(inGrid.length, 1);
            NDArray wo = PiecewiseLinear.weights(outGrid, out, manager).reshape(1, outGrid.length);
            double[] flat = new double[inGrid.length * outGrid.length];
            for (int i = 0; i < inGrid.length; i++) {
                System.arraycopy(millis[i], 0, flat, i * outGrid.length, outGrid.length);
            }
            NDArray table = OwnedArrays.owned(manager.create(flat, new Shape(inGrid.length, outGrid.length)));
            return wi.mul(table).mul(wo).sum();
        }

        private static void ascending(double[] grid, String axis) {
            if (grid.length == 0) {
                throw new IllegalArgumentException("A latency grid needs at least one " + axis + " width");
            }
            for (int i = 1; i < grid.length; i++) {
                if (!(grid[i] > grid[i - 1])) {
                    throw new IllegalArgumentException("The " + axis + " widths of a latency grid must ascend, got "
                            + java.util.Arrays.toString(grid));
                }
            }
        }
    }

    /**
     * Creates a table.
     *
     * @param key what it was measured for
     * @param denseMillis the measured time of the whole dense network
     * @param calibration the map from a mask's summed layer times to the network's time
     * @param layers the samples of every timed layer
     * @throws IllegalArgumentException if a value is missing or the dense time is not positive
     */
    public LatencyTable(LatencyKey key, double denseMillis, LatencyCalibration calibration, List<LayerTimes> layers) {
        if (key == null || calibration == null || layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("A latency table needs its key, its calibration and at least one timed"
                    + " layer");
        }
        if (!(denseMillis > 0) || !Double.isFinite(denseMillis)) {
            throw new IllegalArgumentException("A latency table needs a dense time > 0, got " + denseMillis);
        }
        this.key = key;
        this.denseMillis = denseMillis;
        this.calibration = calibration;
        this.layers = List.copyOf(layers);
    }

    /**
     * Returns what the table was measured for.
     *
     * @return the key
     */
    public LatencyKey getKey() {
        return key;
    }

    /**
     * Returns the measured time of one forward of the whole dense network.
     *
     * @return milliseconds
     */
    public double getDenseMillis() {
        return denseMillis;
    }

    /**
     * Returns the map from a mask's summed layer times to the network's time.
     *
     * @return the calibration
     */
    public LatencyCalibration getCalibration() {
        return calibration;
    }

    /**
     * Returns the samples of every timed layer.
     *
     * @return the layers, in execution order
     */
    public List<LayerTimes> getLayers() {
        return layers;
    }

    /**
     * Checks that the table was measured for this graph.
     *
     * @param graph the graph
     * @throws IllegalArgumentException if its fingerprint differs, saying both
     */
    public void checkFits(ChannelGraph graph) {
        if (!graph.fingerprint().equals(key.graphFingerprint())) {
            throw new IllegalArgumentException(
                    "This latency table was measured for channel graph " + key.graphFingerprint().substring(0, 12)
                            + " but the network's graph is " + graph.fingerprint().substring(0, 12)
                            + ": build the table for this network (and input shape)");
        }
    }

    /**
     * Returns the predicted time of the network under a hard mask (or any kept counts).
     *
     * @param graph the graph the table was measured for
     * @param counter the kept counts
     * @return milliseconds
     */
    public double predictMillis(ChannelGraph graph, KeptCounter counter) {
        return calibration.millis(layerSum(graph, layers, counter));
    }

    /** The summed times of the layers, each at its kept widths, before the calibration. */
    static double layerSum(ChannelGraph graph, List<LayerTimes> layers, KeptCounter counter) {
        double total = 0;
        for (LayerTimes times : layers) {
            double[] widths = widths(graph, times.layer(), s -> (double) counter.keptCount(s.group(), s.start(), s.count()));
            total += times.millisAt(widths[0], widths[1]);
        }
        return total;
    }

    /**
     * Returns the predicted time under soft kept counts as a float64 scalar, differentiable in them.
     *
     * @param graph the graph the table was measured for
     * @param kept the soft kept count of a run of a group, a float64 scalar
     * @param manager where the constants are created
     * @return milliseconds, a scalar
     */
    NDArray softMillis(ChannelGraph graph, Function<Segment, NDArray> kept, NDManager manager) {
        NDArray total = OwnedArrays.scalar(manager, 0, DataType.FLOAT64);
        for (LayerTimes times : layers) {
            LatencyLayer layer = times.layer();
            LayerNode node = graph.layers().get(layer.layer());
            NDArray out = softWidth(node.output(), kept, manager);
            NDArray in = layer.kind() == LatencyLayer.Kind.CHANNELWISE ? out : softWidth(node.input(), kept, manager);
            total = total.add(times.millisAt(in, out, manager));
        }
        return calibration.millis(total, manager);
    }

    /** The kept input and output widths of a layer: Σ kept × features per channel over the runs of each axis. */
    private static double[] widths(ChannelGraph graph, LatencyLayer layer, Function<Segment, Double> kept) {
        LayerNode node = graph.layers().get(layer.layer());
        double out = width(node.output(), kept);
        double in = layer.kind() == LatencyLayer.Kind.CHANNELWISE ? out : width(node.input(), kept);
        return new double[] {in, out};
    }

    private static double width(ChannelLayout layout, Function<Segment, Double> kept) {
        double total = 0;
        for (Segment segment : layout.segments()) {
            total += kept.apply(segment) * segment.multiplier();
        }
        return total;
    }

    private static NDArray softWidth(ChannelLayout layout, Function<Segment, NDArray> kept, NDManager manager) {
        NDArray total = OwnedArrays.scalar(manager, 0, DataType.FLOAT64);
        for (Segment segment : layout.segments()) {
            NDArray count = kept.apply(segment);
            total = total.add(segment.multiplier() == 1 ? count : OwnedArrays.times(count, segment.multiplier()));
        }
        return total;
    }
}
