package io.djlprune.hoyer;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** Element-wise pruning: which weights go, masks, and a report that matches a direct count. */
public class WeightPrunerTest {

    @Test
    public void absoluteThresholdZeroesExactlyTheSmallWeightsAndReportsThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(TestModels.lenet5(), new Shape(1, 1, 28, 28), manager);
            SparsityReport dense = SparsityReport.of(graph);
            assertEquals(dense.totalWeights(), 430_500, "LeNet-5 20-50-800-500 weights without biases");
            float threshold = 0.02f;
            Map<String, float[]> original = new java.util.LinkedHashMap<>();
            for (LayerWeight w : LayerWeight.of(graph)) {
                original.put(w.name(), w.parameter().getArray().toFloatArray());
            }
            try (WeightMasks masks = new WeightPruner(graph).prune(MagnitudeThreshold.absolute(threshold), manager)) {
                SparsityReport report = masks.getReport();
                long totalNonzero = 0;
                for (LayerWeight w : LayerWeight.of(graph)) {
                    float[] before = original.get(w.name());
                    float[] after = w.parameter().getArray().toFloatArray();
                    float[] mask = masks.masks().get(w.name()).toFloatArray();
                    long nonzero = 0;
                    for (int i = 0; i < after.length; i++) {
                        boolean small = Math.abs(before[i]) < threshold;
                        assertEquals(after[i], small ? 0f : before[i], 0f, w.name() + "[" + i + "]");
                        assertEquals(mask[i], small ? 0f : 1f, 0f);
                        nonzero += after[i] != 0 ? 1 : 0;
                    }
                    SparsityReport.LayerCount count =
                            report.layers().stream().filter(l -> l.name().equals(w.name())).findFirst().orElseThrow();
                    assertEquals(count.nonzero(), nonzero, w.name());
                    assertEquals(count.weights(), after.length);
                    totalNonzero += nonzero;
                }
                assertEquals(report.totalNonzero(), totalNonzero);
                assertEquals(SparsityReport.of(graph), report, "counting again gives the same report");
                assertTrue(totalNonzero > 0 && totalNonzero < 430_500 * 0.9, "threshold must prune a share: " + report);
                assertTrue(report.toString().contains("total"), report.toString());
            }
        }
    }

    @Test
    public void stdMultipleUsesEachTensorsOwnSpread() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(TestModels.lenet5(), new Shape(1, 1, 28, 28), manager);
            LayerWeight fc1 = LayerWeight.of(graph).get(2);
            NDArray weight = fc1.parameter().getArray();
            float[] values = weight.toFloatArray();
            double mean = 0;
            for (float v : values) {
                mean += v;
            }
            mean /= values.length;
            double var = 0;
            for (float v : values) {
                var += (v - mean) * (v - mean);
            }
            double limit = 0.5 * Math.sqrt(var / values.length);
            long expected = 0;
            for (float v : values) {
                expected += Math.abs(v) >= limit ? 1 : 0;
            }
            try (WeightMasks masks = new WeightPruner(graph).prune(MagnitudeThreshold.stdMultiple(0.5f), manager)) {
                long nonzero = masks.getReport().layers().get(2).nonzero();
                // entries within float rounding of the limit may land either side
                assertEquals(nonzero, expected, 3, "fc1 kept entries");
                assertTrue(nonzero < values.length * 0.8, "half a std prunes a real share");
            }
        }
    }

    @Test
    public void zeroThresholdPrunesNothingAndNegativeIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            long dense = SparsityReport.of(graph).totalNonzero();
            try (WeightMasks masks = new WeightPruner(graph).prune(MagnitudeThreshold.absolute(0f), manager)) {
                assertEquals(masks.getReport().totalNonzero(), dense);
            }
            for (float bad : new float[] {-1e-4f, Float.NaN}) {
                IllegalArgumentException e =
                        expectThrows(IllegalArgumentException.class, () -> MagnitudeThreshold.absolute(bad));
                assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("≥ 0"), e.getMessage());
                expectThrows(IllegalArgumentException.class, () -> MagnitudeThreshold.stdMultiple(bad));
            }
        }
    }

    @Test
    public void closedMasksRefuseToApply() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            WeightMasks masks = new WeightPruner(graph).prune(MagnitudeThreshold.absolute(0.1f), manager);
            masks.close();
            IllegalStateException e = expectThrows(IllegalStateException.class, masks::apply);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    public void globalCountThresholdKeepsAtMostThatManyWeightsAcrossLayers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(TestModels.lenet5(), new Shape(1, 1, 28, 28), manager);
            WeightPruner pruner = new WeightPruner(graph);
            assertEquals(pruner.thresholdKeepingAtMost(430_500), 0f, "keeping everything needs no cut");
            expectThrows(IllegalArgumentException.class, () -> pruner.thresholdKeepingAtMost(0));
            long keep = 24_000;
            float cut = pruner.thresholdKeepingAtMost(keep);
            try (WeightMasks masks = pruner.prune(MagnitudeThreshold.absolute(cut), manager)) {
                long kept = masks.getReport().totalNonzero();
                // random initial weights have (almost) no ties: the cut meets the count exactly
                assertTrue(kept <= keep && kept > keep - 10, "kept " + kept);
            }
        }
    }

    @Test
    public void stdRelativeCountCutKeepsAtMostThatManyAndIgnoresEachLayersScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(TestModels.lenet5(), new Shape(1, 1, 28, 28), manager);
            WeightPruner pruner = new WeightPruner(graph);
            long keep = 8_000;
            long[] before = perLayerKept(pruner, graph, keep, manager, false);
            // a layer 100 times larger takes nearly the whole count under one magnitude cut, but not relative to its std
            NDArray fc1 = LayerWeight.of(graph).get(2).parameter().getArray();
            fc1.muli(100);
            long[] scaled = perLayerKept(pruner, graph, keep, manager, false);
            long[] magnitude = perLayerKept(pruner, graph, keep, manager, true);
            for (int layer = 0; layer < before.length; layer++) {
                assertEquals(scaled[layer], before[layer], 2, "layer " + layer + " kept relative to its own std");
            }
            assertTrue(magnitude[2] > keep - 10, "the magnitude cut gives the scaled layer everything");
            assertEquals(pruner.stdMultipleKeepingAtMost(430_500).toString(), MagnitudeThreshold.stdMultiple(0f).toString());
            expectThrows(IllegalArgumentException.class, () -> pruner.stdMultipleKeepingAtMost(0));

            // a constant non-zero tensor cannot be cut relative to a std of 0: refused by name
            NDArray conv1 = LayerWeight.of(graph).get(0).parameter().getArray();
            conv1.set(manager.full(conv1.getShape(), 0.5f).toFloatArray());
            IllegalArgumentException e =
                    expectThrows(IllegalArgumentException.class, () -> pruner.stdMultipleKeepingAtMost(keep));
            assertTrue(e.getMessage().contains(LayerWeight.of(graph).get(0).name()), e.getMessage());
        }
    }

    /** Cuts a copy of the weights to {@code keep} and returns each layer's kept count; the weights are restored. */
    private static long[] perLayerKept(
            WeightPruner pruner, ChannelGraph graph, long keep, NDManager manager, boolean byMagnitude) {
        List<LayerWeight> weights = LayerWeight.of(graph);
        List<float[]> saved = new ArrayList<>();
        for (LayerWeight weight : weights) {
            saved.add(weight.parameter().getArray().toFloatArray());
        }
        MagnitudeThreshold cut =
                byMagnitude
                        ? MagnitudeThreshold.absolute(pruner.thresholdKeepingAtMost(keep))
                        : pruner.stdMultipleKeepingAtMost(keep);
        long[] kept = new long[weights.size()];
        try (WeightMasks masks = pruner.prune(cut, manager)) {
            long total = masks.getReport().totalNonzero();
            assertTrue(total <= keep && total > keep - 10, "kept " + total + " by " + cut);
            for (int layer = 0; layer < kept.length; layer++) {
                kept[layer] = masks.getReport().layers().get(layer).nonzero();
            }
        }
        for (int layer = 0; layer < weights.size(); layer++) {
            weights.get(layer).parameter().getArray().set(saved.get(layer));
        }
        return kept;
    }
}
