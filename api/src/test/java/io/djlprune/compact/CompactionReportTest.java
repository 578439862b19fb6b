package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The per-layer report, where weights go, layers shared between places, and the compact block as a DJL block. */
public class CompactionReportTest {

    @Test
    public void lenetReportAndFlattenedSliceMatchAHandSlice() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = TestModels.lenet5();
            ChannelGraph graph = CompactFixtures.prepare(dense, new Shape(1, 1, 28, 28), classifier, manager, 4);
            // keep the odd conv1 channels, the first 25 conv2 channels, every fifth fc1 unit
            int[] conv1 = IntStream.range(0, 20).filter(c -> c % 2 == 1).toArray();
            int[] conv2 = IntStream.range(0, 25).toArray();
            int[] fc1 = IntStream.range(0, 500).filter(u -> u % 5 == 0).toArray();
            ChannelMask mask =
                    ChannelMask.fromIndices(
                            graph, List.of(new int[] {0}, conv1, conv2, fc1, IntStream.range(0, 10).toArray()));
            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);

            List<String> lines = new ArrayList<>();
            for (LayerChange change : result.layers()) {
                lines.add(change.path() + " " + change.inputsBefore() + "→" + change.inputsAfter() + " "
                        + change.outputsBefore() + "→" + change.outputsAfter());
            }
            Assert.assertEquals(
                    lines,
                    List.of("01Conv2d 1→1 20→10", "04Conv2d 20→10 50→25", "08Linear 800→400 500→100",
                            "10Linear 500→100 10→10"));
            Assert.assertTrue(result.describe().contains("08Linear"), result.describe());
            Assert.assertTrue(result.folds().isEmpty());

            // fc1 reads conv2's 4×4 maps flattened: channel c is features 16c … 16c + 15.
            long[] features =
                    IntStream.range(0, 25).flatMap(c -> IntStream.range(16 * c, 16 * c + 16)).asLongStream().toArray();
            long[] units = IntStream.of(fc1).asLongStream().toArray();
            NDArray original = dense.getChildren().get(7).getValue().getParameters().get("weight").getArray();
            NDArray expected = original.get("{}", manager.create(units)).get(":, {}", manager.create(features));
            NDArray actual = result.block().getChildren().get(7).getValue().getParameters().get("weight").getArray();
            Assert.assertEquals(CompactFixtures.maxAbsDiff(expected, actual), 0.0);
            Assert.assertNotSame(actual, original);
        }
    }

    @Test
    public void reusedLayerStaysOneSharedLayer() {
        Shape input = new Shape(1, 1, 4, 4);
        Conv2d shared = TestModels.conv(6, 3, 1, 1, true);
        Block dense =
                new SequentialBlock()
                        .add(TestModels.conv(6, 3, 1, 1, true))
                        .add(Activation.reluBlock())
                        .add(shared)
                        .add(Activation.reluBlock())
                        .add(shared)
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(2).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            ChannelGraph graph = CompactFixtures.prepare(dense, input, classifier, manager, 9);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 9);
            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);

            Block first = result.block().getChildren().get(2).getValue();
            Assert.assertSame(result.block().getChildren().get(4).getValue(), first, "one new layer at both places");
            Assert.assertNotSame(first, shared);
            Assert.assertEquals(result.layers().stream().filter(l -> l.path().equals("03Conv2d")).count(), 1);
            Assert.assertEquals(((Conv2d) first).getFilters(), 3);

            NDArray x = manager.randomNormal(new Shape(3, 1, 4, 4));
            NDArray expected = CompactFixtures.hardMasked(dense, graph, mask, x);
            double diff = CompactFixtures.maxAbsDiff(expected, CompactFixtures.infer(result.block(), x));
            Assert.assertTrue(diff <= 1e-5, "max abs diff " + diff);
        }
    }

    @Test
    public void compactBlockTrainsAndSaves() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = TestModels.residual(classifier);
            ChannelGraph graph = CompactFixtures.prepare(dense, new Shape(1, 3, 16, 16), classifier, manager, 2);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 2);
            Block compact = CompactFixtures.compact(classifier, manager, dense, graph, mask).block();

            NDArray x = manager.randomNormal(new Shape(4, 3, 16, 16));
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = compact.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.square().sum());
            }
            int trainable = 0;
            for (Parameter parameter : compact.getParameters().values()) {
                if (parameter.requiresGradient()) {
                    trainable++;
                    NDArray gradient = parameter.getArray().getGradient();
                    Assert.assertTrue(gradient.abs().sum().getFloat() > 0, parameter.getName() + " gets a gradient");
                }
            }
            Assert.assertTrue(trainable > 10, "weights, biases, γ and β are trainable: " + trainable);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            compact.saveParameters(new DataOutputStream(bytes));
            Assert.assertTrue(bytes.size() > 4 * CompactFixtures.trainableCount(compact), "every parameter is saved");
        }
    }
}
