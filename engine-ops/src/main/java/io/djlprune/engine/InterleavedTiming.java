package io.djlprune.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Times several networks in one process, interleaved: every round runs one forward of each in turn (the order rotated
 * each round, so no network always follows the same one), and a network's latency ratio is the median over rounds of
 * its time divided by the reference's time in the same round. On a machine shared with other work both networks of a
 * round meet the same load, and the median drops the rounds a neighbour disturbed; ratios between separate
 * measurements say more about the neighbours than about the networks.
 *
 * <pre>
 * Comparison c = InterleavedTiming.compareTorchScripts(dense, pruned, Device.cpu(), new Shape(64, 1, 28, 28), 30, 5);
 * </pre>
 */
public final class InterleavedTiming {

    private InterleavedTiming() {}

    /** One forward of one network, whose output and intermediates belong to the given scope, closed after the call. */
    @FunctionalInterface
    public interface Forward {

        /**
         * Runs one forward and waits for its result.
         *
         * @param scope a manager closed after the call
         */
        void run(NDManager scope);
    }

    /**
     * A candidate timed against a reference.
     *
     * @param referenceMs the reference's median time per forward
     * @param candidateMs the candidate's median time per forward
     * @param ratio the median over rounds of candidate / reference
     * @param ratioP25 the 25th percentile of the per-round ratios
     * @param ratioP75 the 75th percentile of the per-round ratios
     * @param rounds the timed rounds
     * @param batchSize the batch size of the input
     * @param device the device
     */
    public record Comparison(
            double referenceMs, double candidateMs, double ratio, double ratioP25, double ratioP75, int rounds,
            long batchSize, String device) {}

    /**
     * Times the forwards round after round; the first {@code warmup} rounds are not kept.
     *
     * @param forwards the networks' forwards
     * @param manager the manager whose sub-managers are the scopes
     * @param rounds the timed rounds
     * @param warmup the untimed rounds before them
     * @return {@code millis[network][round]}
     * @throws IllegalArgumentException if there are no forwards, no rounds or a negative warm-up
     */
    public static double[][] millis(List<Forward> forwards, NDManager manager, int rounds, int warmup) {
        if (forwards.isEmpty() || rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("Interleaved timing needs a network, ≥ 1 round and a warm-up ≥ 0, got "
                    + forwards.size() + " networks, " + rounds + " rounds, warm-up " + warmup);
        }
        double[][] millis = new double[forwards.size()][rounds];
        for (int round = -warmup; round < rounds; round++) {
            for (int k = 0; k < forwards.size(); k++) {
                int s = Math.floorMod(k + round, forwards.size());
                try (NDManager scope = manager.newSubManager()) {
                    long start = System.nanoTime();
                    forwards.get(s).run(scope);
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (round >= 0) {
                        millis[s][round] = ms;
                    }
                }
            }
        }
        return millis;
    }

    /**
     * Returns the per-round ratios of one network's times to the reference's.
     *
     * @param millis the network's times per round
     * @param reference the reference's times in the same rounds
     * @return millis[r] / reference[r]
     */
    public static double[] ratios(double[] millis, double[] reference) {
        double[] out = new double[millis.length];
        for (int r = 0; r < millis.length; r++) {
            out[r] = millis[r] / reference[r];
        }
        return out;
    }

    /**
     * Returns the q-quantile by linear interpolation between order statistics.
     *
     * @param values at least one value
     * @param q in [0, 1]
     * @return the quantile
     */
    public static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /**
     * Loads two TorchScript archives through LibTorch and times them interleaved on one random batch.
     *
     * @param reference the reference {@code .pt} (e.g. the dense model)
     * @param candidate the candidate {@code .pt} (e.g. the pruned model)
     * @param device where to run them
     * @param batchShape the input shape, batch first
     * @param rounds the timed rounds
     * @param warmup the untimed rounds
     * @return the comparison
     * @throws IOException if an archive cannot be read
     * @throws MalformedModelException if LibTorch refuses an archive
     */
    public static Comparison compareTorchScripts(
            Path reference, Path candidate, Device device, Shape batchShape, int rounds, int warmup)
            throws IOException, MalformedModelException {
        Engines.pytorch();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (LoadedTorchScript ref = LoadedTorchScript.load(reference, device);
                LoadedTorchScript cand = LoadedTorchScript.load(candidate, device);
                NDManager manager = NDManager.newBaseManager(device, Engines.PYTORCH)) {
            NDArray input = manager.randomNormal(batchShape);
            double[][] millis =
                    millis(List.of(scope -> predict(ref, input, scope), scope -> predict(cand, input, scope)), manager,
                            rounds, warmup);
            double[] ratios = ratios(millis[1], millis[0]);
            return new Comparison(
                    quantile(millis[0], 0.5), quantile(millis[1], 0.5), quantile(ratios, 0.5), quantile(ratios, 0.25),
                    quantile(ratios, 0.75), rounds, batchShape.get(0), device.toString());
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** One forward, with its output read back so it cannot be skipped and a GPU run is waited for. */
    private static void predict(LoadedTorchScript script, NDArray input, NDManager scope) {
        NDList output = script.predict(new NDList(input));
        output.attach(scope);
        output.head().toByteArray();
    }
}
