package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.testng.annotations.Test;

/** Sampled gates: whole channels drawn with probability z while training, z itself when evaluating. */
public class GateSamplingTest {

    private static final int CHANNELS = 200;
    private static final float PSI = -0.8f;

    @Test
    public void aTrainingPassKeepsEachChannelWholeWithProbabilityZ() {
        GateController controller = sampledController();
        Gate gate = Gate.builder().setChannels(CHANNELS).setController(controller).build();
        double z = controller.getProjection().gate(PSI);
        assertTrue(z > 0.2 && z < 0.8, "the test needs a gate well inside (0, 1), got " + z);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialise(gate, manager);
            int passes = 50;
            int kept = 0;
            for (int pass = 0; pass < passes; pass++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = batch.randomNormal(new Shape(2, CHANNELS)).add(3f);
                    float[] in = x.toFloatArray();
                    float[] out = forward(gate, batch, x, true).toFloatArray();
                    for (int i = 0; i < in.length; i++) {
                        assertTrue(out[i] == in[i] || out[i] == 0f, "element " + i + ": " + out[i] + " of " + in[i]);
                    }
                    for (int c = 0; c < CHANNELS; c++) {
                        kept += out[c] == 0f ? 0 : 1;
                        assertEquals(out[CHANNELS + c] == 0f, out[c] == 0f, "one draw per channel for the batch");
                    }
                }
            }
            // 10,000 draws: the standard deviation of the kept share is below 0.005
            assertEquals(kept / (double) (passes * CHANNELS), z, 0.03);
        }
    }

    @Test
    public void anEvaluationPassScalesByZ() {
        GateController controller = sampledController();
        Gate gate = Gate.builder().setChannels(CHANNELS).setController(controller).build();
        double z = controller.getProjection().gate(PSI);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialise(gate, manager);
            NDArray x = manager.randomNormal(new Shape(3, CHANNELS));
            float[] in = x.toFloatArray();
            float[] out = forward(gate, manager, x, false).toFloatArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(out[i], in[i] * z, 1e-5, "element " + i);
            }
        }
    }

    @Test
    public void theGatesOfAGroupShareOnePassesDraw() {
        GateController controller = sampledController();
        Gate owner = Gate.builder().setChannels(CHANNELS).setController(controller).optName("stem").build();
        Gate sharer = Gate.builder().optSharedWith(owner).optName("block").build();
        try (NDManager manager = NDManager.newBaseManager()) {
            initialise(owner, manager);
            sharer.initialize(manager, DataType.FLOAT32, new Shape(1, CHANNELS));
            boolean[] first;
            try (NDManager batch = manager.newSubManager()) {
                NDArray ones = batch.ones(new Shape(1, CHANNELS));
                first = kept(forward(owner, batch, ones, true));
                assertEquals(kept(forward(sharer, batch, ones, true)), first, "the same pass, the same channels");
            }
            try (NDManager batch = manager.newSubManager()) {
                NDArray ones = batch.ones(new Shape(1, CHANNELS));
                assertNotEquals(kept(forward(sharer, batch, ones, true)), first, "the next pass draws again");
            }
        }
    }

    @Test
    public void psiLearnsThroughZ() {
        float[] sampled = psiGradient(true);
        float[] soft = psiGradient(false);
        assertTrue(Arrays.stream(toDouble(soft)).allMatch(g -> g != 0), "every channel has a gradient");
        for (int c = 0; c < CHANNELS; c++) {
            assertEquals(sampled[c], soft[c], 1e-5 * Math.abs(soft[c]) + 1e-7, "channel " + c);
        }
    }

    private static float[] psiGradient(boolean sample) {
        GateController controller = sampledController();
        controller.setSampled(sample);
        Gate gate = Gate.builder().setChannels(CHANNELS).setController(controller).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            initialise(gate, manager);
            NDArray psi = gate.getPsi().getArray();
            psi.setRequiresGradient(true);
            NDArray x = manager.arange(2 * CHANNELS).toType(DataType.FLOAT32, false).reshape(2, CHANNELS).add(1f);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = forward(gate, manager, x, true);
                collector.backward(out.sum());
            }
            return psi.getGradient().toFloatArray();
        }
    }

    private static GateController sampledController() {
        GateController controller = new GateController(new HeavisideProjection(3, 8), GateMode.SOFT);
        controller.setSampled(true);
        return controller;
    }

    private static void initialise(Gate gate, NDManager manager) {
        gate.initialize(manager, DataType.FLOAT32, new Shape(1, CHANNELS));
        float[] psi = new float[CHANNELS];
        Arrays.fill(psi, PSI);
        gate.getPsi().getArray().set(psi);
    }

    private static NDArray forward(Gate gate, NDManager manager, NDArray x, boolean training) {
        return gate.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    private static boolean[] kept(NDArray out) {
        float[] values = out.toFloatArray();
        boolean[] kept = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            kept[i] = values[i] != 0f;
        }
        return kept;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
