package io.djlprune.hoyer;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.regularize.RegularizedLoss;
import io.djlprune.regularize.Regularizer;
import org.testng.annotations.Test;

/** DeepHoyer's loss: base + α·R exactly, R as a metric, gradients through a real Trainer, refused knobs. */
public class HoyerRegularizedLossTest {

    @Test
    public void lossIsBasePlusAlphaTimesTheRegularizerWhichIsReported() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            NDList labels = new NDList(manager.create(new float[] {0, 1, 2, 0}));
            NDList predictions = new NDList(manager.randomNormal(new Shape(4, 3)));
            float base = Loss.softmaxCrossEntropyLoss().evaluate(labels, predictions).getFloat();
            for (HoyerVariant variant : HoyerVariant.values()) {
                HoyerRegularizedLoss loss =
                        HoyerRegularizedLoss.builder().setGraph(graph).optVariant(variant).optAlpha(0.25f).build();
                assertEquals(loss.getVariant(), variant);
                assertTrue(Float.isNaN(loss.getLastRegularizerValue()), "nothing computed yet");
                Regularizer expected = variant == HoyerVariant.GROUP ? new GroupHoyerSquare(graph) : new HoyerSquare(graph);
                float r = expected.evaluate(manager).getFloat();
                assertTrue(r > 1, variant + " R = " + r);

                assertEquals(loss.evaluate(labels, predictions).getFloat(), base + 0.25f * r, 1e-5f * r);
                assertEquals(loss.getLastRegularizerValue(), r, 1e-6f * r);
                Loss metric = loss.regularizerMetric();
                assertEquals(metric.getName(), expected.getName());
                assertEquals(metric.evaluate(labels, predictions).getFloat(), r, 1e-6f * r);
            }
            assertEquals(
                    HoyerRegularizedLoss.builder().setGraph(graph).build().getWeight(),
                    HoyerRegularizedLoss.DEFAULT_ALPHA);
        }
    }

    @Test
    public void trainingThroughTheTrainerLowersGroupHoyer() throws Exception {
        Engine.getInstance().setRandomSeed(17);
        Block block = Fixtures.smallChain();
        try (Model model = Model.newInstance("hoyer");
                NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph =
                    Fixtures.graph(block, Fixtures.SMALL_INPUT, new io.djlprune.testing.NamedOpClassifier(),
                            model.getNDManager(), DataType.FLOAT32);
            model.setBlock(block);
            HoyerRegularizedLoss loss = HoyerRegularizedLoss.builder().setGraph(graph).optAlpha(1f).build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .addEvaluator(loss.regularizerMetric())
                            .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build())
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(TrainingListener.Defaults.basic());
            NDArray x = manager.randomNormal(new Shape(16, 2, 4, 4));
            NDArray y = manager.randomInteger(0, 3, new Shape(16), DataType.INT32);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(4, false).build();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 2, 4, 4));
                float before;
                try (NDManager scope = manager.newSubManager()) {
                    before = new GroupHoyerSquare(graph).evaluate(scope).getFloat();
                }
                EasyTrain.fit(trainer, 3, data, null);
                float after;
                try (NDManager scope = manager.newSubManager()) {
                    after = new GroupHoyerSquare(graph).evaluate(scope).getFloat();
                }
                // α = 1 makes R dominate the step; a loss that did not reach the weights would leave R as it was
                assertTrue(after < before - 0.05f, "Group-HS " + before + " → " + after);
                Float logged = trainer.getTrainingResult().getTrainEvaluation("group_hoyer_square");
                assertTrue(logged != null && Float.isFinite(logged) && logged > after, "metric " + logged);
            }
        }
    }

    @Test
    public void badKnobsAreRefusedWithTheirName() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            for (float alpha : new float[] {-1e-3f, Float.NaN, Float.POSITIVE_INFINITY}) {
                IllegalArgumentException e =
                        expectThrows(
                                IllegalArgumentException.class,
                                () -> HoyerRegularizedLoss.builder().setGraph(graph).optAlpha(alpha));
                assertTrue(e.getMessage().contains("α") && e.getMessage().contains(String.valueOf(alpha)), e.getMessage());
            }
            IllegalArgumentException noGraph =
                    expectThrows(IllegalArgumentException.class, () -> HoyerRegularizedLoss.builder().build());
            assertTrue(noGraph.getMessage().contains("graph"), noGraph.getMessage());
            expectThrows(
                    IllegalArgumentException.class,
                    () -> HoyerRegularizedLoss.builder().setGraph(graph).optEpsilon(-1f));
            expectThrows(
                    IllegalArgumentException.class,
                    () -> RegularizedLoss.of(Loss.l2Loss(), new HoyerSquare(graph), -2f));
        }
    }
}
