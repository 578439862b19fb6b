package io.djlprune.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.optimizer.Optimizer;
import java.util.Set;
import org.testng.annotations.Test;

public class ParameterGroupOptimizerTest {

    private final Parameter psi = parameter("psi");
    private final Parameter weight = parameter("weight");
    private final ParameterList parameters = list(psi, weight);

    @Test
    public void zeroDecayGroupKeepsItsParameterWhileTheDefaultDecays() {
        Optimizer noDecay = Optimizer.adamW().optWeightDecays(0f).build();
        Optimizer decay = Optimizer.adamW().optWeightDecays(0.1f).build();
        ParameterGroupOptimizer router =
                ParameterGroupOptimizer.builder()
                        .optParameters(parameters)
                        .addGroup(p -> "psi".equals(p.getName()), noDecay)
                        .setDefault(decay)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray psiArray = manager.create(new float[] {0.5f, -0.25f, 2f});
            NDArray weightArray = psiArray.duplicate();
            for (int step = 0; step < 3; step++) {
                router.update(psi.getId(), psiArray, psiArray.zerosLike());
                router.update(weight.getId(), weightArray, weightArray.zerosLike());
            }
            assertEquals(psiArray.toFloatArray(), new float[] {0.5f, -0.25f, 2f}, 0f);
            // Decoupled decay with AdamW's default lr 1e-3: w ← w·(1 − 1e-3·0.1) per step.
            float[] shrunk = weightArray.toFloatArray();
            float[] start = {0.5f, -0.25f, 2f};
            for (int i = 0; i < 3; i++) {
                assertEquals(shrunk[i], start[i] * Math.pow(1 - 1e-4, 3), 1e-6);
                assertTrue(Math.abs(shrunk[i]) < Math.abs(start[i]), "element " + i);
            }
        }
    }

    @Test
    public void groupsByIdRouteWithoutAParameterList() {
        Optimizer a = Optimizer.adamW().build();
        Optimizer b = Optimizer.sgd().setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.1f)).build();
        ParameterGroupOptimizer router =
                ParameterGroupOptimizer.builder().addGroup(Set.of(weight.getId()), b).setDefault(a).build();
        assertSame(router.optimizerFor(weight.getId()), b);
        assertSame(router.optimizerFor(psi.getId()), a);
        assertSame(router.optimizerFor("unknown"), a);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f});
            router.update(weight.getId(), w, manager.create(new float[] {2f}));
            assertEquals(w.getFloat(), 1f - 0.1f * 2f, 1e-6);
        }
    }

    @Test
    public void misconfigurationsAreRejectedPrecisely() {
        Optimizer opt = Optimizer.adamW().build();
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ParameterGroupOptimizer.builder().addGroup(Set.of(psi.getId()), opt).build());
        assertTrue(e.getMessage().contains("setDefault"), e.getMessage());
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ParameterGroupOptimizer.builder().addGroup(p -> true, opt).setDefault(opt).build());
        assertTrue(e.getMessage().contains("optParameters"), e.getMessage());
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                ParameterGroupOptimizer.builder()
                                        .optParameters(parameters)
                                        .addGroup(p -> true, opt)
                                        .addGroup(Set.of(weight.getId()), opt)
                                        .setDefault(opt)
                                        .build());
        assertTrue(e.getMessage().contains("weight (id") && e.getMessage().contains("group 0 and group 1"),
                e.getMessage());
    }

    private static Parameter parameter(String name) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optShape(new Shape(3)).build();
    }

    private static ParameterList list(Parameter... parameters) {
        ParameterList list = new ParameterList();
        for (Parameter p : parameters) {
            list.add(p.getName(), p);
        }
        return list;
    }
}
