package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.djlprune.engine.Engines;
import io.djlprune.export.onnx.OnnxRuntimeModel;
import io.djlprune.export.onnx.OnnxVerifier;
import io.djlprune.export.onnx.OnnxWriter;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.Conv2dOp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Writes small networks of every op the ONNX writer supports, runs them in ONNX Runtime and compares with DJL
 * ({@link OnnxVerifier}, ≤ 1e-5) and passes ONNX's own checker; refusals name the block; one file is served through
 * DJL's own OnnxRuntime engine.
 */
public class OnnxRoundTripTest {

    private static final Logger logger = LoggerFactory.getLogger(OnnxRoundTripTest.class);
    private static final double TOLERANCE = 1e-5;

    private Path folder;

    @BeforeClass
    public void createFolder() throws Exception {
        folder = Exports.newFolder();
    }

    @AfterClass(alwaysRun = true)
    public void deleteFolder() throws Exception {
        Exports.deleteTree(folder);
    }

    @Test
    public void lenetChain() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(
                l.conv(1, 6, 5, 1, 2, 1, true), l.relu(), l.maxPool(2, 2, 0),
                l.conv(6, 16, 5, 1, 0, 1, true), l.relu(), l.maxPool(2, 2, 0),
                l.flatten(), l.linear(16 * 5 * 5, 120), l.relu(), l.linear(120, 84), l.relu(), l.linear(84, 10));
        roundTrip("lenet", l, net, new Shape(2, 1, 28, 28));
    }

    @Test
    public void residualUnitsWithBatchNormAndJoinActivation() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(
                l.conv(3, 8, 3, 1, 1, 1, false),
                l.batchNorm(8, 1e-3f, 0.8f),
                l.relu(),
                l.sequential(
                        l.add(
                                l.sequential(l.conv(8, 8, 3, 1, 1, 1, false), l.batchNorm(8), l.relu(),
                                        l.conv(8, 8, 3, 1, 1, 1, false), l.batchNorm(8)),
                                l.identity()),
                        l.relu()),
                l.addRelu(
                        l.sequential(l.conv(8, 16, 3, 2, 1, 1, false), l.batchNorm(16)),
                        l.sequential(l.conv(8, 16, 1, 2, 0, 1, false), l.batchNorm(16))),
                l.globalAvgPool(),
                l.linear(16, 10));
        roundTrip("residual", l, net, new Shape(2, 3, 16, 16));
    }

    @Test
    public void concatDepthwiseAndRelu6() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(
                l.conv(3, 8, 1, 1, 0, 1, false),
                l.batchNorm(8),
                l.activation(Activation.relu6Block(), ActivationOp.Kind.RELU6, 0),
                l.conv(8, 8, 3, 2, 1, 8, false),
                l.concat(
                        l.conv(8, 4, 1, 1, 0, 1, true),
                        l.sequential(l.conv(8, 6, 3, 1, 1, 2, false), l.batchNorm(6), l.relu()),
                        l.maxPool(3, 1, 1)),
                l.conv(18, 4, 1, 1, 0, 1, true));
        roundTrip("concat_depthwise", l, net, new Shape(2, 3, 15, 15));
    }

    @Test
    public void averageAndGlobalPoolsAndDropout() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(
                l.conv(3, 6, 3, 1, 1, 1, true),
                l.avgPool(3, 2, 1, false, true),
                l.avgPool(2, 2, 1, true, true),
                l.concat(l.globalAvgPool(), l.globalMaxPool()),
                l.dropout(0.5f),
                l.linear(12, 5));
        roundTrip("pools", l, net, new Shape(2, 3, 13, 13));
    }

    /**
     * Adaptive average pooling, which ONNX lacks, spelt for the fixed map size: the identity (7 → 7), an
     * {@code AveragePool} (14 → 7), and averaging matrices for overlapping and repeated bins (2 → 7, 13 × 10 → 7 × 3,
     * 1 → 7).
     */
    @Test
    public void adaptiveAveragePoolingForEveryInputSize() throws Exception {
        int[][] cases = {{7, 7, 7, 7}, {14, 14, 7, 7}, {2, 2, 7, 7}, {13, 10, 7, 3}, {1, 1, 7, 7}};
        for (int[] c : cases) {
            Layers l = new Layers();
            Block net = l.sequential(
                    l.conv(3, 4, 3, 1, 1, 1, true), l.adaptiveAvgPool(c[2], c[3]), l.flatten(),
                    l.linear(4L * c[2] * c[3], 5));
            roundTrip("adaptive" + c[0] + "x" + c[1], l, net, new Shape(2, 3, c[0], c[1]));
        }
    }

    @Test
    public void everyActivation() throws Exception {
        Layers l = new Layers();
        SequentialBlock net = l.sequential(l.conv(2, 4, 3, 1, 1, 1, true));
        net.add(l.activation(Activation.leakyReluBlock(0.1f), ActivationOp.Kind.LEAKY_RELU, 0.1f));
        net.add(l.activation(Activation.eluBlock(0.7f), ActivationOp.Kind.ELU, 0.7f));
        net.add(l.activation(Activation.softPlusBlock(), ActivationOp.Kind.SOFTPLUS, 0));
        net.add(l.activation(Activation.swishBlock(1f), ActivationOp.Kind.SWISH, 0));
        net.add(l.mish());
        net.add(l.activation(Activation.geluBlock(), ActivationOp.Kind.GELU, 0));
        net.add(l.activation(Activation.tanhBlock(), ActivationOp.Kind.TANH, 0));
        net.add(l.activation(Activation.sigmoidBlock(), ActivationOp.Kind.SIGMOID, 0));
        roundTrip("activations", l, net, new Shape(2, 2, 6, 6));
    }

    @Test
    public void mislabelledActivationIsCaughtByTheVerifier() throws Exception {
        Layers l = new Layers();
        // a ReLU block described as tanh: the file computes tanh, DJL relu, and the verifier must say so
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true), l.activation(Activation.reluBlock(),
                ActivationOp.Kind.TANH, 0));
        Shape input = new Shape(2, 3, 8, 8);
        Path file = folder.resolve("mislabelled.onnx");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            OnnxWriter.write(net, input, l.classifier, file, Map.of());
            ExportMismatchException e = expectThrows(
                    ExportMismatchException.class, () -> new OnnxVerifier(TOLERANCE).verify(file, net, input));
            assertTrue(e.getMaxAbsDifference() > 0.01, e.getMessage());
            assertTrue(e.getMessage().contains("differs from the DJL block by up to"), e.getMessage());
        }
    }

    @Test
    public void parametersThatContradictTheOpAreRefused() throws Exception {
        Layers l = new Layers();
        Block conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build();
        l.classifier.leaf(conv,
                new Conv2dOp(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, false));
        Block net = l.sequential(l.relu(), conv);
        Shape input = new Shape(2, 3, 8, 8);
        Path file = folder.resolve("refused.onnx");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            UnsupportedExportException e = expectThrows(UnsupportedExportException.class,
                    () -> OnnxWriter.write(net, input, l.classifier, file, Map.of()));
            assertEquals(e.getPath(), "02Conv2d");
            assertTrue(e.getMessage().contains("to ONNX: its parameters are [bias, weight]"), e.getMessage());
        }
        assertTrue(!folder.resolve("refused.onnx").toFile().exists());
    }

    @Test
    public void linearOnFourAxesIsRefused() throws Exception {
        Layers l = new Layers();
        // DJL's Linear accepts (N, …, in); ONNX's Gemm does not, and the writer says so rather than reshaping
        Block net = l.sequential(l.conv(3, 4, 1, 1, 0, 1, true), l.linear(5, 2));
        Shape input = new Shape(2, 3, 5, 5);
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            UnsupportedExportException e = expectThrows(UnsupportedExportException.class,
                    () -> OnnxWriter.write(net, input, l.classifier, folder.resolve("gemm.onnx"), Map.of()));
            assertEquals(e.getPath(), "02Linear");
            assertTrue(e.getMessage().contains("Gemm is 2-D only"), e.getMessage());
        }
    }

    @Test
    public void servedThroughDjlOnnxRuntimeEngine() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(
                l.conv(3, 8, 3, 1, 1, 1, false), l.batchNorm(8), l.relu(), l.maxPool(2, 2, 0),
                l.globalAvgPool(), l.linear(8, 4));
        Shape input = new Shape(3, 3, 12, 12);
        Path file = folder.resolve("served.onnx");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            OnnxWriter.write(net, input, l.classifier, file, Map.of("note", "served by DJL"));
            float[] pixels = OnnxVerifier.randomBatch(input, 7);
            float[] expected = net.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(pixels, input)), false).singletonOrThrow().toFloatArray();
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(file)
                    .optEngine("OnnxRuntime")
                    .build();
            try (ZooModel<NDList, NDList> model = criteria.loadModel();
                    Predictor<NDList, NDList> predictor = model.newPredictor();
                    NDManager ort = model.getNDManager().newSubManager()) {
                assertEquals(model.getNDManager().getEngine().getEngineName(), "OnnxRuntime");
                NDArray output = predictor.predict(new NDList(ort.create(pixels, input))).singletonOrThrow();
                assertEquals(output.getShape(), new Shape(3, 4));
                float[] actual = output.toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(actual[i], expected[i], 1e-5, "logit " + i);
                }
            }
        }
    }

    private void roundTrip(String name, Layers l, Block net, Shape input) throws Exception {
        Path file = folder.resolve(name + ".onnx");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            OnnxWriter.write(net, input, l.classifier, file, Map.of("model", name));
            OnnxChecker.check(file);
            OnnxVerifier.Result result = new OnnxVerifier(TOLERANCE).verify(file, net, input);
            logger.info("{}: ONNX Runtime matches DJL within {} (absolute {})", name, result.maxDifference(),
                    result.maxAbsDifference());
            assertTrue(result.maxDifference() <= TOLERANCE);
            // a second batch size: the batch axis is symbolic
            Shape other = new Shape(5).addAll(input.slice(1));
            try (OnnxRuntimeModel model = OnnxRuntimeModel.load(file, 1)) {
                new OnnxVerifier(TOLERANCE).verify(model, name, net, other, 3);
                assertEquals(model.metadata().get("model"), name);
            }
        }
        assertEquals(Exports.listing(folder).contains(name + ".onnx"), true, List.of(name).toString());
    }
}
