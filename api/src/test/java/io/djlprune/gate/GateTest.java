package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class GateTest {

    @DataProvider
    public Object[][] shapes() {
        return new Object[][] {{new Shape(2, 3)}, {new Shape(2, 3, 4, 5)}};
    }

    @Test(dataProvider = "shapes")
    public void softModeMultipliesEachChannelByItsGateValue(Shape shape) {
        GateController controller = new GateController(new HeavisideProjection(1.3, 7), GateMode.SOFT);
        Gate gate = Gate.builder().setChannels(3).setController(controller).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            gate.initialize(manager, DataType.FLOAT32, shape);
            // Spread ψ so each channel has a clearly different gate value.
            gate.getPsi().getArray().set(new float[] {-1f, 0.005f, 2f});
            NDArray x = manager.randomNormal(shape);
            float[] out = forward(gate, manager, x).toFloatArray();
            float[] in = x.toFloatArray();
            double[] z = new double[3];
            for (int c = 0; c < 3; c++) {
                z[c] = controller.getProjection().gate(new double[] {-1, 0.005, 2}[c]);
            }
            int perChannel = (int) (shape.size() / shape.get(0) / 3);
            for (int i = 0; i < in.length; i++) {
                int c = (i / perChannel) % 3;
                assertEquals(out[i], in[i] * z[c], 1e-5, "element " + i);
            }
            float[] soft = gate.softValues(manager).toFloatArray();
            for (int c = 0; c < 3; c++) {
                assertEquals(soft[c], z[c], 1e-6);
            }
        }
    }

    @Test(dataProvider = "shapes")
    public void hardModeZeroesExactlyTheMaskedChannels(Shape shape) {
        GateController controller = new GateController(new HeavisideProjection(1, 2), GateMode.HARD);
        Gate gate = Gate.builder().setChannels(3).setController(controller).build();
        gate.setKeepMask(new boolean[] {true, false, true});
        try (NDManager manager = NDManager.newBaseManager()) {
            gate.initialize(manager, DataType.FLOAT32, shape);
            // Negative and infinite inputs: multiplying by 0 would give -0 or NaN, the mask must give +0.
            NDArray x = manager.randomNormal(shape).sub(0.5);
            x.set(new ai.djl.ndarray.index.NDIndex("0, 1"), Float.NEGATIVE_INFINITY);
            float[] in = x.toFloatArray();
            float[] out = forward(gate, manager, x).toFloatArray();
            int perChannel = (int) (shape.size() / shape.get(0) / 3);
            int zeroed = 0;
            for (int i = 0; i < in.length; i++) {
                if ((i / perChannel) % 3 == 1) {
                    assertEquals(Float.floatToRawIntBits(out[i]), 0, "element " + i + " is " + out[i]);
                    zeroed++;
                } else {
                    assertEquals(Float.floatToRawIntBits(out[i]), Float.floatToRawIntBits(in[i]), "element " + i);
                }
            }
            assertEquals(zeroed, shape.size() / 3);
        }
    }

    @Test(dataProvider = "shapes")
    public void offModeReturnsTheInputUnchanged(Shape shape) {
        GateController controller = new GateController(new HeavisideProjection(1, 2), GateMode.OFF);
        Gate gate = Gate.builder().setChannels(3).setController(controller).build();
        gate.setKeepMask(new boolean[] {false, false, false});
        try (NDManager manager = NDManager.newBaseManager()) {
            gate.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = manager.randomNormal(shape);
            assertSame(forward(gate, manager, x), x);
        }
    }

    @Test
    public void modeIsReadFromTheControllerAtEachForward() {
        GateController controller = new GateController();
        Gate gate = Gate.builder().setChannels(2).setController(controller).build();
        gate.setKeepMask(new boolean[] {false, true});
        try (NDManager manager = NDManager.newBaseManager()) {
            gate.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            NDArray x = manager.create(new float[][] {{3f, 4f}});
            float[] soft = forward(gate, manager, x).toFloatArray();
            assertTrue(soft[0] > 0 && soft[0] < 3, "soft " + soft[0]);
            controller.setMode(GateMode.HARD);
            assertEquals(forward(gate, manager, x).toFloatArray(), new float[] {0f, 4f});
            controller.setMode(GateMode.OFF);
            assertEquals(forward(gate, manager, x).toFloatArray(), new float[] {3f, 4f});
        }
    }

    @Test
    public void psiIsInitialisedUniformlyInTheReferenceRange() {
        Gate gate = Gate.builder().setChannels(500).setController(new GateController()).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            gate.initialize(manager, DataType.FLOAT32, new Shape(1, 500));
            float[] psi = gate.getPsi().getArray().toFloatArray();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : psi) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min >= 0f && max < 0.01f, "range [" + min + ", " + max + "]");
            assertTrue(max - min > 0.005f, "values are spread, not constant: [" + min + ", " + max + "]");
            assertEquals(gate.getPsi().getName(), Gate.PSI_NAME);
            assertTrue(gate.getPsi().requiresGradient());
        }
    }

    @Test
    public void channelMismatchFailsWithTheGateName() {
        Gate gate = Gate.builder().setChannels(3).setController(new GateController()).optName("conv1.gate").build();
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> gate.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 5, 5)));
            assertTrue(e.getMessage().contains("conv1.gate") && e.getMessage().contains("3 channels"), e.getMessage());
            gate.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 5, 5));
            NDArray wrong = manager.ones(new Shape(2, 5));
            e = expectThrows(IllegalArgumentException.class, () -> forward(gate, manager, wrong));
            assertTrue(e.getMessage().contains("has 5 on axis 1"), e.getMessage());
            NDArray flat = manager.ones(new Shape(3));
            e = expectThrows(IllegalArgumentException.class, () -> forward(gate, manager, flat));
            assertTrue(e.getMessage().contains("(N, C)"), e.getMessage());
        }
    }

    @Test
    public void outputShapeIsTheInputShape() {
        Gate gate = Gate.builder().setChannels(3).setController(new GateController()).build();
        Shape shape = new Shape(7, 3, 2, 2);
        assertEquals(gate.getOutputShapes(new Shape[] {shape}), new Shape[] {shape});
    }

    @Test
    public void keepMaskIsValidatedAndCopied() {
        Gate gate = Gate.builder().setChannels(3).setController(new GateController()).optName("g").build();
        assertEquals(gate.getKeepMask(), new boolean[] {true, true, true});
        boolean[] mask = {true, false, true};
        gate.setKeepMask(mask);
        mask[0] = false;
        assertEquals(gate.getKeepMask(), new boolean[] {true, false, true});
        gate.getKeepMask()[2] = false;
        assertEquals(gate.getKeepMask(), new boolean[] {true, false, true});
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> gate.setKeepMask(new boolean[2]));
        assertTrue(e.getMessage().contains("needs 3 entries, got 2"), e.getMessage());
    }

    @Test
    public void builderRejectsMissingOrContradictorySettings() {
        GateController controller = new GateController();
        assertMessage(() -> Gate.builder().setController(controller).build(), "setChannels");
        assertMessage(() -> Gate.builder().setChannels(2).build(), "setController");
        assertMessage(() -> Gate.builder().setChannels(0), "positive");
        Gate owner = Gate.builder().setChannels(4).setController(controller).optName("a").build();
        assertMessage(() -> Gate.builder().setChannels(5).optSharedWith(owner).build(), "shares gate a with 4");
        assertMessage(
                () -> Gate.builder().setController(new GateController()).optSharedWith(owner).build(),
                "different controller");
    }

    @Test
    public void uninitialisedSharedGateNamesItsOwner() {
        Gate owner = Gate.builder().setChannels(2).setController(new GateController()).optName("stem").build();
        Gate sharer = Gate.builder().optSharedWith(owner).optName("block1").build();
        try (NDManager manager = NDManager.newBaseManager()) {
            sharer.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            NDArray x = manager.ones(new Shape(1, 2));
            IllegalStateException e = expectThrows(IllegalStateException.class, () -> forward(sharer, manager, x));
            assertTrue(e.getMessage().contains("owner gate stem"), e.getMessage());
        }
    }

    @Test
    public void sharingGatesUseTheOwnersPsiAndMask() {
        GateController controller = new GateController();
        Gate owner = Gate.builder().setChannels(2).setController(controller).optName("a").build();
        Gate middle = Gate.builder().optSharedWith(owner).optName("b").build();
        Gate last = Gate.builder().optSharedWith(middle).optName("c").build();
        assertSame(last.getOwner(), owner, "sharing a sharer joins the owner's group");
        assertSame(last.getPsi(), owner.getPsi());
        assertSame(last.getController(), controller);
        assertEquals(last.getChannels(), 2);
        assertTrue(owner.isOwner());
        assertFalse(last.isOwner());
        assertEquals(owner.getDirectParameters().size(), 1);
        assertEquals(last.getDirectParameters().size(), 0);
        last.setKeepMask(new boolean[] {false, true});
        assertEquals(owner.getKeepMask(), new boolean[] {false, true});
        assertNotEquals(owner.toString(), last.toString());
    }

    private static NDArray forward(Gate gate, NDManager manager, NDArray x) {
        return gate.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    private static void assertMessage(org.testng.Assert.ThrowingRunnable call, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
