package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlprune.ndarray.OwnedArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How a network's time follows from the times of its layers, each timed alone: a non-decreasing piecewise-linear map
 * from the sum of a mask's layer times to the measured time of the whole network compacted to that mask, fitted to a
 * few whole networks (the dense one and the network at a few uniform widths). Timed alone, a layer pays its own call
 * overhead and meets other caches than inside the network, and the adds, pooling and activation traffic between the
 * layers shrink with the mask too, so the sum of the layers is not the network's time; but it orders masks well, and
 * this map turns it into the network's time where whole networks were measured and interpolates between them.
 *
 * <p>Below the first point and above the last the end segments are extended (never below 0). Non-decreasing, so a mask
 * that keeps more never predicts less: the selector's guarantee rests on it.
 *
 * @param layerSums the layers' summed times of the measured networks, strictly ascending
 * @param networkMillis the measured networks' times, non-decreasing, one per sum
 */
public record LatencyCalibration(double[] layerSums, double[] networkMillis) {

    /**
     * Creates a calibration, checking its points.
     *
     * @param layerSums the layers' summed times, strictly ascending, at least two
     * @param networkMillis the networks' times, finite, ≥ 0 and non-decreasing, one per sum
     * @throws IllegalArgumentException otherwise
     */
    public LatencyCalibration {
        if (layerSums == null || networkMillis == null || layerSums.length < 2
                || layerSums.length != networkMillis.length) {
            throw new IllegalArgumentException("A latency calibration needs at least two points, each a layer sum and a"
                    + " network time");
        }
        for (int k = 0; k < layerSums.length; k++) {
            if (!Double.isFinite(layerSums[k]) || !Double.isFinite(networkMillis[k]) || networkMillis[k] < 0) {
                throw new IllegalArgumentException("A latency calibration point is not a finite time: "
                        + layerSums[k] + " → " + networkMillis[k]);
            }
            if (k > 0 && (!(layerSums[k] > layerSums[k - 1]) || networkMillis[k] < networkMillis[k - 1])) {
                throw new IllegalArgumentException("A latency calibration must ascend in the layer sums and not descend"
                        + " in the network times, got " + Arrays.toString(layerSums) + " → "
                        + Arrays.toString(networkMillis));
            }
        }
        layerSums = layerSums.clone();
        networkMillis = networkMillis.clone();
    }

    /**
     * Fits the map to measured networks: points with equal sums are averaged, and where a network that sums more
     * measured less than one that sums less (noise), the offending neighbours are pooled to their mean (pool adjacent
     * violators), so the map never descends.
     *
     * @param layerSums each network's summed layer times
     * @param networkMillis each network's measured time
     * @return the calibration
     * @throws IllegalArgumentException if the points are fewer than two distinct sums or not finite
     */
    public static LatencyCalibration fit(double[] layerSums, double[] networkMillis) {
        if (layerSums.length != networkMillis.length) {
            throw new IllegalArgumentException("Every measured network needs its layer sum and its time");
        }
        Integer[] order = new Integer[layerSums.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> layerSums[k]));
        // blocks of (sum of x, sum of y, count), merged while one's mean time is below its predecessor's
        List<double[]> blocks = new ArrayList<>();
        for (int k : order) {
            double[] block = {layerSums[k], networkMillis[k], 1};
            if (!blocks.isEmpty() && blocks.get(blocks.size() - 1)[0] / blocks.get(blocks.size() - 1)[2] == layerSums[k]) {
                block = merge(blocks.remove(blocks.size() - 1), block);
            }
            blocks.add(block);
            while (blocks.size() > 1) {
                double[] last = blocks.get(blocks.size() - 1);
                double[] before = blocks.get(blocks.size() - 2);
                if (last[1] / last[2] >= before[1] / before[2]) {
                    break;
                }
                blocks.remove(blocks.size() - 1);
                blocks.set(blocks.size() - 1, merge(before, last));
            }
        }
        if (blocks.size() < 2) {
            throw new IllegalArgumentException("The measured networks leave fewer than two distinct points ("
                    + Arrays.toString(layerSums) + " → " + Arrays.toString(networkMillis) + "): the latency of a mask"
                    + " cannot be told from its layers");
        }
        double[] x = new double[blocks.size()];
        double[] y = new double[blocks.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = blocks.get(k)[0] / blocks.get(k)[2];
            y[k] = blocks.get(k)[1] / blocks.get(k)[2];
        }
        return new LatencyCalibration(x, y);
    }

    /**
     * Returns the layer sums of the measured networks.
     *
     * @return a copy, ascending
     */
    @Override
    public double[] layerSums() {
        return layerSums.clone();
    }

    /**
     * Returns the measured networks' times.
     *
     * @return a copy, one per layer sum
     */
    @Override
    public double[] networkMillis() {
        return networkMillis.clone();
    }

    private static double[] merge(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    /**
     * Returns the network's time for a sum of layer times.
     *
     * @param layerSum the mask's summed layer times
     * @return milliseconds, ≥ 0
     */
    public double millis(double layerSum) {
        int last = layerSums.length - 1;
        double total = networkMillis[0] + slope(0) * Math.min(layerSum - layerSums[0], 0);
        for (int k = 0; k < last; k++) {
            total += slope(k) * Math.min(Math.max(layerSum - layerSums[k], 0), layerSums[k + 1] - layerSums[k]);
        }
        total += slope(last - 1) * Math.max(layerSum - layerSums[last], 0);
        return Math.max(total, 0);
    }

    /**
     * The same map on a float64 scalar, differentiable in it (ChipNet's soft budget).
     *
     * @param layerSum the soft summed layer times
     * @param manager where the constants are created
     * @return milliseconds, a scalar, ≥ 0
     */
    NDArray millis(NDArray layerSum, NDManager manager) {
        int last = layerSums.length - 1;
        NDArray total = OwnedArrays.scalar(manager, networkMillis[0], DataType.FLOAT64);
        total = total.add(layerSum.sub(layerSums[0]).minimum(0).mul(slope(0)));
        for (int k = 0; k < last; k++) {
            total = total.add(layerSum.sub(layerSums[k]).clip(0, layerSums[k + 1] - layerSums[k]).mul(slope(k)));
        }
        total = total.add(layerSum.sub(layerSums[last]).maximum(0).mul(slope(last - 1)));
        return total.maximum(0);
    }

    private double slope(int segment) {
        return (networkMillis[segment + 1] - networkMillis[segment]) / (layerSums[segment + 1] - layerSums[segment]);
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyCalibration other
                && Arrays.equals(layerSums, other.layerSums)
                && Arrays.equals(networkMillis, other.networkMillis);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layerSums) + Arrays.hashCode(networkMillis);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < layerSums.length; k++) {
            text.append(k == 0 ? "" : ", ").append(String.format("%.3f → %.3f ms", layerSums[k], networkMillis[k]));
        }
        return text.toString();
    }
}
