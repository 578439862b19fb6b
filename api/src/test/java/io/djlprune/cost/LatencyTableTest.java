package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.util.Progress;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskSelector;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The latency table with a deterministic timer: interpolation, the builder's grid and de-duplication, the cache key, the
 * exact and soft faces of the latency budget, and the selector's guarantee under it.
 */
public class LatencyTableTest {

    private static final Shape INPUT = new Shape(1, 3, 16, 16);

    /**
     * Time = a + b·in·out per layer (b from the layer's kind); a network compacted to a mask takes the dense time ×
     * (0.2 + 0.8 × its kept share of the prunable channels); counts the layers' calls.
     */
    static final class FakeTimer implements LayerTimer {
        final List<long[]> calls = new ArrayList<>();
        final double dense;

        FakeTimer(double dense) {
            this.dense = dense;
        }

        @Override
        public Forward layer(ChannelGraph graph, LatencyLayer layer, long in, long out) {
            calls.add(new long[] {layer.layer(), in, out});
            return constant(0.05 + 0.05 * (1 + layer.kind().ordinal()) * in * out);
        }

        @Override
        public Forward network(ChannelGraph graph, ChannelMask mask) {
            return constant(dense * (0.2 + 0.8 * keptShare(graph, mask)));
        }

        static double keptShare(ChannelGraph graph, ChannelMask mask) {
            double kept = 0;
            double all = 0;
            for (ChannelGroup group : graph.prunableGroups()) {
                kept += mask.keptCount(group.id());
                all += group.size();
            }
            return kept / all;
        }

        private static Forward constant(double millis) {
            return new Forward() {
                @Override
                public double millis() {
                    return millis;
                }

                @Override
                public void close() {}
            };
        }
    }

    /** A progress that shows nothing. */
    private static final class Silent implements Progress {
        @Override
        public void reset(String message, long max, String trailingMessage) {}

        @Override
        public void start(long initialProgress) {}

        @Override
        public void end() {}

        @Override
        public void increment(long increment) {}

        @Override
        public void update(long progress, String message) {}
    }

    private static ChannelGraph residual(NDManager manager) {
        NamedOpClassifier classifier = new NamedOpClassifier();
        Block block = TestModels.residual(classifier);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return ChannelGraph.builder().setInputShape(INPUT).setClassifier(classifier).build(block);
    }

    /** A stem and two identical residual units, whose first convolutions time the same. */
    private static ChannelGraph twoUnits(NDManager manager) {
        NamedOpClassifier classifier = new NamedOpClassifier();
        Block block =
                new ai.djl.nn.SequentialBlock()
                        .add(TestModels.conv(8, 3, 1, 1, false))
                        .add(ai.djl.nn.norm.BatchNorm.builder().build())
                        .add(ai.djl.nn.Activation.reluBlock())
                        .add(TestModels.residualUnit(classifier, 8, 1, false))
                        .add(TestModels.residualUnit(classifier, 8, 1, false))
                        .add(ai.djl.nn.pooling.Pool.globalAvgPool2dBlock())
                        .add(ai.djl.nn.Blocks.batchFlattenBlock())
                        .add(ai.djl.nn.core.Linear.builder().setUnits(10).build());
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return ChannelGraph.builder().setInputShape(INPUT).setClassifier(classifier).build(block);
    }

    private static LatencyKey key(ChannelGraph graph, int batch, int step) {
        return new LatencyKey("cpu()", "PyTorch", "2.7.1", graph.fingerprint(), batch, 1, 1, step, "SSE41");
    }

    private static LatencyTable table(ChannelGraph graph, FakeTimer timer, int step) {
        return LatencyTableBuilder.builder()
                .setKey(key(graph, 64, step))
                .setTimer(timer)
                .optProgress(new Silent())
                .build()
                .measure(graph);
    }

    @Test
    public void bilinearInterpolationReproducesABilinearFunctionAndClampsToTheGrid() {
        double[] in = {1, 4, 8};
        double[] out = {1, 8, 16};
        double[][] millis = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                millis[i][j] = f(in[i], out[j]);
            }
        }
        LatencyLayer layer = new LatencyLayer(0, List.of(), LatencyLayer.Kind.CONV, 8, 16, "conv");
        LatencyTable.LayerTimes times = new LatencyTable.LayerTimes(layer, in, out, millis);
        // bilinear interpolation is exact for a + b·x + c·y + d·x·y inside every cell
        Assert.assertEquals(times.millisAt(2.5, 3), f(2.5, 3), 1e-12);
        Assert.assertEquals(times.millisAt(6, 12), f(6, 12), 1e-12);
        Assert.assertEquals(times.millisAt(4, 8), f(4, 8), 1e-12);
        // a kink between cells: the midpoint of two samples is their mean, whatever lies between
        double[][] steps = {{1, 10, 2}, {1, 10, 2}, {1, 10, 2}};
        LatencyTable.LayerTimes stepped = new LatencyTable.LayerTimes(layer, in, out, steps);
        Assert.assertEquals(stepped.millisAt(3, 4.5), 5.5, 1e-12);
        Assert.assertEquals(stepped.millisAt(3, 12), 6, 1e-12);
        // outside the grid: the nearest edge
        Assert.assertEquals(times.millisAt(0.2, 40), f(1, 16), 1e-12);
    }

    private static double f(double x, double y) {
        return 2 + 3 * x + 5 * y + 0.5 * x * y;
    }

    @Test
    public void malformedSamplesAreRefused() {
        LatencyLayer layer = new LatencyLayer(0, List.of(), LatencyLayer.Kind.CONV, 8, 16, "conv");
        Assert.assertThrows(IllegalArgumentException.class,
                () -> new LatencyTable.LayerTimes(layer, new double[] {1, 1}, new double[] {1}, new double[][] {{1}, {1}}));
        Assert.assertThrows(IllegalArgumentException.class,
                () -> new LatencyTable.LayerTimes(layer, new double[] {1}, new double[] {1, 2}, new double[][] {{1}}));
        Assert.assertThrows(IllegalArgumentException.class,
                () -> new LatencyTable.LayerTimes(layer, new double[] {1}, new double[] {1}, new double[][] {{Double.NaN}}));
    }

    @Test
    public void builderSamplesEachDistinctLayerOnceOnAGridOfTheStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = twoUnits(manager);
            FakeTimer timer = new FakeTimer(100);
            LatencyTable table = table(graph, timer, 4);
            Assert.assertEquals(table.getLayers().size(), LatencyLayers.of(graph).size());
            int expected = 0;
            List<String> seen = new ArrayList<>();
            for (LatencyTable.LayerTimes times : table.getLayers()) {
                String id = times.layer().signature() + java.util.Arrays.toString(times.inGrid())
                        + java.util.Arrays.toString(times.outGrid());
                if (!seen.contains(id)) {
                    seen.add(id);
                    expected += times.inGrid().length * times.outGrid().length;
                }
                for (double[] grid : new double[][] {times.inGrid(), times.outGrid()}) {
                    for (double width : grid) {
                        boolean onGrid = width == 1 || width % 4 == 0 || width == grid[grid.length - 1];
                        Assert.assertTrue(onGrid, "width " + width + " of " + times.layer());
                    }
                }
            }
            Assert.assertTrue(seen.size() < table.getLayers().size(), "the identical convs of the two units are timed once");
            Assert.assertEquals(timer.calls.size(), expected);
            // the first conv reads the fixed network input: one input sample, its full width
            Assert.assertEquals(table.getLayers().get(0).inGrid(), new double[] {3});
            Assert.assertEquals(table.getLayers().get(0).outGrid(), new double[] {1, 4, 8});
            Assert.assertEquals(table.getLayers().get(1).inGrid(), new double[] {1, 4, 8});
            // the whole networks it was calibrated on are predicted as they measured, the dense one included
            Assert.assertEquals(table.getDenseMillis(), 100, 1e-9);
            List<ChannelMask> masks = LatencyTableBuilder.calibrationMasks(graph, 4);
            Assert.assertEquals(masks.get(masks.size() - 1), ChannelMask.full(graph));
            Assert.assertEquals(masks.size(), 3, "1, 4 and 8 channels per group");
            for (ChannelMask mask : masks) {
                for (ChannelGroup group : graph.prunableGroups()) {
                    int kept = mask.keptCount(group.id());
                    Assert.assertTrue(kept == 1 || kept % 4 == 0 || kept == group.size(), "on the grid: " + kept);
                }
                Assert.assertEquals(table.predictMillis(graph, mask::keptCount),
                        100 * (0.2 + 0.8 * FakeTimer.keptShare(graph, mask)), 1e-9, mask.toString());
            }
        }
    }

    @Test
    public void calibrationInterpolatesMonotonicallyThroughNoisyNetworks() {
        // the third network measured faster than the second: the two are pooled to their mean
        LatencyCalibration fit =
                LatencyCalibration.fit(new double[] {30, 10, 20, 40}, new double[] {5, 2, 6, 12});
        Assert.assertEquals(fit.layerSums(), new double[] {10, 25, 40});
        Assert.assertEquals(fit.networkMillis(), new double[] {2, 5.5, 12});
        Assert.assertEquals(fit.millis(10), 2, 1e-12);
        Assert.assertEquals(fit.millis(17.5), 3.75, 1e-12);
        Assert.assertEquals(fit.millis(40), 12, 1e-12);
        // the end segments go on, never below 0
        Assert.assertEquals(fit.millis(50), 12 + 10 * 6.5 / 15, 1e-12);
        Assert.assertEquals(fit.millis(6), 2 - 4 * 3.5 / 15, 1e-12);
        Assert.assertEquals(fit.millis(0), 0, 1e-12);
        double previous = -1;
        for (double sum = 0; sum <= 60; sum += 0.5) {
            Assert.assertTrue(fit.millis(sum) >= previous, "never descends at " + sum);
            previous = fit.millis(sum);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            for (double sum : new double[] {0, 6, 10, 17.5, 33, 40, 50}) {
                NDArray x = manager.create(sum);
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    y = fit.millis(x, manager);
                    collector.backward(y);
                }
                Assert.assertEquals(y.getDouble(), fit.millis(sum), 1e-9, "soft = exact at " + sum);
                if (sum > 2 && sum != 10 && sum != 40) {
                    Assert.assertTrue(x.getGradient().getDouble() > 0, "a larger sum costs more at " + sum);
                }
            }
        }
        Assert.assertThrows(IllegalArgumentException.class,
                () -> LatencyCalibration.fit(new double[] {3, 3}, new double[] {1, 2}));
        Assert.assertThrows(IllegalArgumentException.class,
                () -> new LatencyCalibration(new double[] {1, 2}, new double[] {2, 1}));
    }

    /** The fake timer on a machine whose load triples after the first {@code quietRounds} rounds. */
    static final class LoadedTimer implements LayerTimer {
        private final FakeTimer base = new FakeTimer(60);
        private final int quietRounds;

        LoadedTimer(int quietRounds) {
            this.quietRounds = quietRounds;
        }

        @Override
        public Forward layer(ChannelGraph graph, LatencyLayer layer, long in, long out) {
            return loaded(base.layer(graph, layer, in, out));
        }

        @Override
        public Forward network(ChannelGraph graph, ChannelMask mask) {
            return loaded(base.network(graph, mask));
        }

        /** Each forward triples after its first {@code quietRounds} runs: the load changes within a pass. */
        private Forward loaded(Forward quiet) {
            return new Forward() {
                private int runs;

                @Override
                public double millis() {
                    return quiet.millis() * (runs++ < quietRounds ? 1 : 3);
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    public void interleavedRoundsKeepRatiosWhenTheLoadChanges() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            // 2 warm-up and 5 timed rounds; the load triples after round 4, so 3 of 5 timed rounds are loaded
            LatencyTable loaded =
                    LatencyTableBuilder.builder().setKey(key(graph, 64, 4)).setTimer(new LoadedTimer(4))
                            .optProgress(new Silent()).optRounds(2, 5).build().measure(graph);
            LatencyTable quiet = table(graph, new FakeTimer(60), 4);
            Assert.assertEquals(loaded.getDenseMillis(), 3 * quiet.getDenseMillis(), 1e-9);
            ChannelMask all = ChannelMask.full(graph);
            for (int trial = 0; trial < 5; trial++) {
                ChannelMask mask = CostModelTest.randomMask(graph, new Random(trial));
                double loadedRatio = loaded.predictMillis(graph, mask::keptCount) / loaded.predictMillis(graph, all::keptCount);
                double quietRatio = quiet.predictMillis(graph, mask::keptCount) / quiet.predictMillis(graph, all::keptCount);
                Assert.assertEquals(loadedRatio, quietRatio, 1e-12);
            }
        }
    }

    @Test
    public void convolutionsAreTimedWithTheirBatchNormAndActivation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            List<LatencyLayer> layers = LatencyLayers.of(graph);
            LatencyLayer first = layers.get(0);
            Assert.assertEquals(first.neighbours(), List.of(1, 2), "conv, BN, ReLU");
            Assert.assertEquals(first.kind(), LatencyLayer.Kind.CONV);
            LatencyLayer last = layers.get(layers.size() - 1);
            Assert.assertEquals(last.kind(), LatencyLayer.Kind.LINEAR);
            Assert.assertEquals(last.inWidth(), 16);
        }
    }

    @Test
    public void softFaceEqualsExactFaceAtHardCountsAndIsDifferentiable() {
        Random random = new Random(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            CostModel cost = new CostModel(graph, table(graph, new FakeTimer(100), 1));
            Assert.assertEquals(cost.full(BudgetKind.LATENCY), Math.round(100 * CostModel.PICOS_PER_MILLI));
            for (int trial = 0; trial < 10; trial++) {
                ChannelMask mask = CostModelTest.randomMask(graph, random);
                NDList soft = new NDList();
                for (ChannelGroup group : graph.groups()) {
                    float[] values = new float[group.size()];
                    for (int c = 0; c < values.length; c++) {
                        values[c] = mask.isKept(group.id(), c) ? 1f : 0f;
                    }
                    soft.add(group.prunable() ? manager.create(values) : null);
                }
                double exact = cost.ratio(BudgetKind.LATENCY, mask);
                Assert.assertTrue(exact < 1, "a mask that removes channels is faster: " + exact);
                Assert.assertEquals(cost.softRatio(BudgetKind.LATENCY, soft).getDouble(), exact, 1e-9, mask.toString());
            }
            NDList soft = new NDList();
            for (ChannelGroup group : graph.groups()) {
                NDArray values = group.prunable() ? manager.randomUniform(0.3f, 0.9f, new Shape(group.size())) : null;
                if (values != null) {
                    values.setRequiresGradient(true);
                }
                soft.add(values);
            }
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(cost.softRatio(BudgetKind.LATENCY, soft));
            }
            for (NDArray values : soft) {
                if (values != null) {
                    Assert.assertTrue(values.getGradient().gt(0).all().getBoolean(), "every gate lowers the latency");
                }
            }
        }
    }

    @Test
    public void selectorMeetsALatencyTargetOnTheTable() {
        Random random = new Random(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            LatencyTable table = table(graph, new FakeTimer(60), 4);
            CostModel cost = new CostModel(graph, table);
            float[][] scores = new float[graph.groups().size()][];
            for (ChannelGroup group : graph.prunableGroups()) {
                scores[group.id()] = new float[group.size()];
                for (int c = 0; c < group.size(); c++) {
                    scores[group.id()][c] = random.nextFloat();
                }
            }
            for (double target : new double[] {0.9, 0.6, 0.4}) {
                for (int step : new int[] {1, 4}) {
                    ChannelMask mask =
                            MaskSelector.builder().optRoundTo(step).build()
                                    .select(cost, Budget.parse("latency=" + target), scores);
                    double predicted = table.predictMillis(graph, mask::keptCount) / table.predictMillis(graph,
                            ChannelMask.full(graph)::keptCount);
                    Assert.assertTrue(predicted <= target + 1e-12, target + " step " + step + ": " + predicted);
                    Assert.assertTrue(predicted > target - 0.2, "close under the target: " + predicted);
                }
            }
        }
    }

    @Test
    public void aCostModelWithoutATableRefusesLatency() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            CostModel plain = new CostModel(graph);
            Assert.assertFalse(plain.supports(BudgetKind.LATENCY));
            Assert.assertFalse(plain.kinds().contains(BudgetKind.LATENCY));
            IllegalArgumentException e =
                    Assert.expectThrows(IllegalArgumentException.class, () -> plain.full(BudgetKind.LATENCY));
            Assert.assertTrue(e.getMessage().contains("latency table"), e.getMessage());
            Assert.assertEquals(Budget.parse("latency=0.5"), new Budget(BudgetKind.LATENCY, 0.5));
        }
    }

    @Test
    public void aTableOfAnotherGraphIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            LatencyTable table = table(graph, new FakeTimer(10), 1);
            Block other = TestModels.vggChain();
            other.initialize(manager, DataType.FLOAT32, INPUT);
            ChannelGraph otherGraph =
                    ChannelGraph.builder().setInputShape(INPUT).setClassifier(new NamedOpClassifier()).build(other);
            Assert.assertThrows(IllegalArgumentException.class, () -> new CostModel(otherGraph, table));
        }
    }

    @Test
    public void theCacheIsUsedOnlyWithTheSameKey() throws IOException {
        Path file = Files.createTempDirectory("latency").resolve("sub/table.json");
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = residual(manager);
            LatencyTable table = table(graph, new FakeTimer(20), 4);
            Assert.assertFalse(LatencyTableFile.read(file, table.getKey()).found(), "no file yet");
            LatencyTableFile.write(table, file);
            Assert.assertEquals(Files.list(file.getParent()).count(), 1L, "no temporary file is left");
            LatencyTableFile.Lookup same = LatencyTableFile.read(file, table.getKey());
            Assert.assertTrue(same.found(), String.valueOf(same.refusal()));
            ChannelMask mask = CostModelTest.randomMask(graph, new Random(1));
            Assert.assertEquals(same.table().predictMillis(graph, mask::keptCount), table.predictMillis(graph,
                    mask::keptCount), 1e-12);
            LatencyTableFile.Lookup otherBatch = LatencyTableFile.read(file, key(graph, 1, 4));
            Assert.assertFalse(otherBatch.found());
            Assert.assertTrue(otherBatch.refusal().contains("batch size 1 ≠ 64"), otherBatch.refusal());
            LatencyKey otherDevice = new LatencyKey("gpu(0)", "PyTorch", "2.7.1", graph.fingerprint(), 64, 1, 1, 4, "SSE41");
            Assert.assertTrue(LatencyTableFile.read(file, otherDevice).refusal().contains("device gpu(0) ≠ cpu()"));
            LatencyKey otherThreads = new LatencyKey("cpu()", "PyTorch", "2.7.1", graph.fingerprint(), 64, 2, 1, 4, "SSE41");
            Assert.assertTrue(LatencyTableFile.read(file, otherThreads).refusal().contains("intra-op threads 2 ≠ 1"));
            LatencyKey otherEngine = new LatencyKey("cpu()", "PyTorch", "2.8.0", graph.fingerprint(), 64, 1, 1, 4, "SSE41");
            Assert.assertTrue(LatencyTableFile.read(file, otherEngine).refusal().contains("engine version"));
            LatencyKey otherKernels = new LatencyKey("cpu()", "PyTorch", "2.7.1", graph.fingerprint(), 64, 1, 1, 4, "default");
            Assert.assertTrue(LatencyTableFile.read(file, otherKernels).refusal().contains("CPU kernels"));
            String stored = Files.readString(file);
            Files.writeString(file, "{\"formatVersion\": 1}");
            Assert.assertThrows(IOException.class, () -> LatencyTableFile.read(file, table.getKey()));
            // a calibration whose network times descend is refused as the file is read
            String descending = stored.replaceFirst("(\"networkMillis\": \\[\\s*)[0-9.E-]+", "$11.0E9");
            Assert.assertNotEquals(descending, stored);
            Files.writeString(file, descending);
            Assert.assertThrows(IOException.class, () -> LatencyTableFile.read(file, table.getKey()));
            // a table of the previous format (a fixed part, no calibration) is measured again, not used
            Files.writeString(file, stored.replace("\"formatVersion\": 2", "\"formatVersion\": 1"));
            LatencyTableFile.Lookup old = LatencyTableFile.read(file, table.getKey());
            Assert.assertFalse(old.found());
            Assert.assertTrue(old.refusal().contains("format version 1"), old.refusal());
        }
    }
}
