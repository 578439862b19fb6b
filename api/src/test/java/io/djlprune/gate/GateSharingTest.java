package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotSame;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.testng.annotations.Test;

/** Channels tied by a residual add have one ψ: it is listed once and both sites' gradients land on it. */
public class GateSharingTest {

    @Test
    public void sharedPsiIsListedOnceInAModel() {
        GateController controller = new GateController();
        Gate owner = Gate.builder().setChannels(3).setController(controller).build();
        Gate sharer = Gate.builder().optSharedWith(owner).build();
        SequentialBlock block = new SequentialBlock().add(owner).add(sharer);
        ParameterList parameters = block.getParameters();
        assertEquals(parameters.size(), 1, parameters.keys().toString());
        assertSame(parameters.valueAt(0), owner.getPsi());
    }

    @Test
    public void gradientsOfTwoSitesAccumulateOnTheOnePsi() {
        HeavisideProjection projection = new HeavisideProjection(1.5, 4);
        GateController controller = new GateController(projection, GateMode.SOFT);
        Gate owner = Gate.builder().setChannels(2).setController(controller).build();
        Gate sharer = Gate.builder().optSharedWith(owner).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            owner.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2, 2));
            sharer.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            Parameter psi = owner.getPsi();
            float[] psiValues = {0.3f, -0.7f};
            psi.getArray().set(psiValues);
            NDArray a = manager.arange(8f).reshape(1, 2, 2, 2); // channel sums 6 and 22
            NDArray b = manager.create(new float[][] {{-1f, 10f}});
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray outA = owner.forward(store, new NDList(a), true).singletonOrThrow();
                NDArray outB = sharer.forward(store, new NDList(b), true).singletonOrThrow();
                collector.backward(outA.sum().add(outB.sum()));
            }
            float[] grad = psi.getArray().getGradient().toFloatArray();
            double[] channelSums = {6 - 1, 22 + 10};
            for (int c = 0; c < 2; c++) {
                double slope = derivative(projection, psiValues[c]);
                assertTrue(slope > 0.01, "slope " + slope);
                // One site alone would give 6·slope or 22·slope; only the sum of both sites passes.
                assertEquals(grad[c], channelSums[c] * slope, 1e-4, "channel " + c);
            }
        }
    }

    @Test
    public void softValuesJoinTheGraphOfTheLastForward() {
        GateController controller = new GateController();
        Gate owner = Gate.builder().setChannels(2).setController(controller).build();
        Gate sharer = Gate.builder().optSharedWith(owner).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            owner.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            sharer.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            // copy = true: the store trains a mirror of ψ, as it does on a second device; the loss must use it.
            ParameterStore store = new ParameterStore(manager, true);
            NDArray mirror;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                sharer.forward(store, new NDList(manager.zeros(new Shape(1, 2))), true);
                mirror = store.getValue(owner.getPsi(), manager.getDevice(), true);
                assertNotSame(mirror, owner.getPsi().getArray());
                assertSame(owner.psiValue(manager), mirror);
                collector.backward(sharer.softValues(manager).sum());
            }
            float[] psi = mirror.toFloatArray();
            float[] grad = mirror.getGradient().toFloatArray();
            for (int c = 0; c < 2; c++) {
                assertEquals(grad[c], derivative(controller.getProjection(), psi[c]), 1e-4);
            }
        }
    }

    private static double derivative(HeavisideProjection p, double psi) {
        double h = 1e-5;
        return (p.gate(psi + h) - p.gate(psi - h)) / (2 * h);
    }
}
