package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.training.ParameterGroupOptimizer;
import org.testng.annotations.Test;

/** A gated conv net trains under DJL's {@link Trainer}: ψ learns, loss stays finite, hard mode validates. */
public class GateTrainingTest {

    @Test
    public void gatedNetworkTrainsWithTrainerAndEasyTrain() throws Exception {
        Engine.getInstance().setRandomSeed(11);
        GateController controller = new GateController();
        Gate first = Gate.builder().setChannels(4).setController(controller).optName("conv1").build();
        // Ties the second conv's channels to the first's, as a residual add would.
        Gate tied = Gate.builder().optSharedWith(first).optName("conv2").build();
        SequentialBlock net =
                new SequentialBlock()
                        .add(conv())
                        .add(BatchNorm.builder().build())
                        .add(first)
                        .add(Activation.reluBlock())
                        .add(conv())
                        .add(BatchNorm.builder().build())
                        .add(tied)
                        .add(Activation.reluBlock())
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Linear.builder().setUnits(3).build());

        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("gated")) {
            model.setBlock(net);
            Optimizer optimizer =
                    ParameterGroupOptimizer.builder()
                            .optParameters(net.getParameters())
                            .addGroup(
                                    p -> Gate.PSI_NAME.equals(p.getName()),
                                    Optimizer.adamW()
                                            .optLearningRateTracker(Tracker.fixed(0.01f))
                                            .optWeightDecays(0f)
                                            .build())
                            .setDefault(Optimizer.adamW().optWeightDecays(1e-3f).build())
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new CrispLoss(first, 10f))
                            .optOptimizer(optimizer)
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(TrainingListener.Defaults.basic());

            NDArray x = manager.randomNormal(new Shape(32, 1, 8, 8));
            NDArray y = manager.randomInteger(0, 3, new Shape(32), ai.djl.ndarray.types.DataType.INT32);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(8, true).build();

            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 1, 8, 8));
                assertEquals(net.getParameters().keys().stream().filter(k -> k.endsWith(Gate.PSI_NAME)).count(), 1);
                float[] before = first.getPsi().getArray().toFloatArray();

                EasyTrain.fit(trainer, 2, data, null);

                Float loss = trainer.getTrainingResult().getTrainLoss();
                assertTrue(loss != null && Float.isFinite(loss), "train loss " + loss);
                float[] after = first.getPsi().getArray().toFloatArray();
                assertNotEquals(after, before, "psi must learn");
                for (float v : after) {
                    assertTrue(Float.isFinite(v), "psi " + v);
                }

                // The same trainer evaluates in hard mode: keeping every channel equals no gate, dropping two does not.
                NDList input = new NDList(x.get("0:8"));
                controller.setMode(GateMode.OFF);
                float[] ungated = trainer.evaluate(input).singletonOrThrow().toFloatArray();
                controller.setMode(GateMode.HARD);
                assertEquals(trainer.evaluate(input).singletonOrThrow().toFloatArray(), ungated, 0f);
                first.setKeepMask(new boolean[] {true, false, true, false});
                float[] pruned = trainer.evaluate(input).singletonOrThrow().toFloatArray();
                assertNotEquals(pruned, ungated);
                for (float v : pruned) {
                    assertTrue(Float.isFinite(v), "logit " + v);
                }
            }
        }
    }

    private static Conv2d conv() {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build();
    }

    /** Cross-entropy plus ChipNet's crispness term on one gate group, so ψ also gets a gradient from the loss. */
    private static final class CrispLoss extends Loss {

        private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();
        private final Gate gate;
        private final float weight;

        CrispLoss(Gate gate, float weight) {
            super("CrispLoss");
            this.gate = gate;
            this.weight = weight;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDManager manager = predictions.head().getManager();
            NDArray psi = gate.psiValue(manager);
            HeavisideProjection projection = gate.getController().getProjection();
            NDArray crisp = projection.gate(psi).sub(projection.logistic(psi)).square().mean();
            return crossEntropy.evaluate(labels, predictions).add(crisp.mul(weight));
        }
    }
}
