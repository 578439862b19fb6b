package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.djlprune.engine.Engines;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.ops.ActivationOp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Writes small networks of every supported op, loads them with LibTorch and compares with DJL (≤ 1e-5). */
public class TorchScriptRoundTripTest {

    private static final Logger logger = LoggerFactory.getLogger(TorchScriptRoundTripTest.class);

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
    public void lenetChainLoadsAndMatches() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(1, 6, 5, 1, 2, 1, true),
                        l.relu(),
                        l.maxPool(2, 2, 0),
                        l.conv(6, 16, 5, 1, 0, 1, true),
                        l.relu(),
                        l.maxPool(2, 2, 0),
                        l.flatten(),
                        l.linear(16 * 5 * 5, 120),
                        l.relu(),
                        l.linear(120, 84),
                        l.relu(),
                        l.linear(84, 10));
        roundTrip("lenet", l, net, new Shape(2, 1, 28, 28));
    }

    @Test
    public void convBatchNormReluWithBiasFreeConvolutions() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(3, 8, 3, 1, 1, 1, false),
                        l.batchNorm(8),
                        l.relu(),
                        l.conv(8, 16, 3, 2, 1, 1, false),
                        // A non-default ε and momentum: ε must reach batch_norm exactly.
                        l.batchNorm(16, 1e-3f, 0.8f),
                        l.relu());
        String source = roundTrip("conv_bn_relu", l, net, new Shape(2, 3, 16, 16));
        assertTrue(source.contains("torch.conv2d(x, self.weight, None, [1, 1], [1, 1], [1, 1], 1)"), source);
        assertTrue(source.contains("self.training, 0.19999998807907104, 0.0010000000474974513, True)"), source);
    }

    @Test
    public void residualBlocksWithIdentityAndProjectionShortcuts() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(3, 8, 3, 1, 1, 1, false),
                        l.batchNorm(8),
                        l.relu(),
                        l.sequential(
                                l.add(
                                        l.sequential(
                                                l.conv(8, 8, 3, 1, 1, 1, false),
                                                l.batchNorm(8),
                                                l.relu(),
                                                l.conv(8, 8, 3, 1, 1, 1, false),
                                                l.batchNorm(8)),
                                        l.identity()),
                                l.relu()),
                        l.sequential(
                                l.add(
                                        l.sequential(
                                                l.conv(8, 16, 3, 2, 1, 1, false),
                                                l.batchNorm(16),
                                                l.relu(),
                                                l.conv(16, 16, 3, 1, 1, 1, false),
                                                l.batchNorm(16)),
                                        l.sequential(l.conv(8, 16, 1, 2, 0, 1, false), l.batchNorm(16))),
                                l.relu()),
                        l.globalAvgPool(),
                        l.flatten(),
                        l.linear(16, 10));
        String source = roundTrip("residual", l, net, new Shape(2, 3, 16, 16));
        assertTrue(source.contains("return torch.add(y0, y1, alpha=1)"), source);
        assertEquals(count(source, "class ReLU(Module)"), 1, "equal modules share one class");
    }

    @Test
    public void joinWithActivationAfterTheSum() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(3, 4, 3, 1, 1, 1, true),
                        l.addRelu(l.sequential(l.conv(4, 4, 3, 1, 1, 1, true), l.batchNorm(4)), l.identity()),
                        l.globalAvgPool(),
                        l.flatten(),
                        l.linear(4, 3));
        String source = roundTrip("add_relu", l, net, new Shape(2, 3, 8, 8));
        assertTrue(source.contains("class ParallelAddRelu(Module)"), source);
        assertTrue(source.contains("torch.relu(merged)"), source);
    }

    @Test
    public void cifarResNet20() throws Exception {
        // The structure of the zoo's CifarResNet (which this module cannot depend on), depth 20.
        Layers l = new Layers();
        SequentialBlock net = l.sequential(l.conv(3, 16, 3, 1, 1, 1, false), l.batchNorm(16), l.relu());
        int in = 16;
        for (int filters : new int[] {16, 32, 64}) {
            for (int b = 0; b < 3; b++) {
                int stride = (b == 0 && filters != 16) ? 2 : 1;
                Block main =
                        l.sequential(
                                l.conv(in, filters, 3, stride, 1, 1, false),
                                l.batchNorm(filters),
                                l.relu(),
                                l.conv(filters, filters, 3, 1, 1, 1, false),
                                l.batchNorm(filters));
                Block shortcut =
                        stride != 1 || in != filters
                                ? l.sequential(l.conv(in, filters, 1, stride, 0, 1, false), l.batchNorm(filters))
                                : l.identity();
                net.add(l.sequential(l.add(main, shortcut), l.relu()));
                in = filters;
            }
        }
        net.add(l.globalAvgPool()).add(l.flatten()).add(l.linear(64, 10));
        long start = System.nanoTime();
        String source = roundTrip("resnet20", l, net, new Shape(2, 3, 32, 32));
        logger.info("resnet20: written, loaded and compared in {} ms", (System.nanoTime() - start) / 1_000_000);
        // Classes do not depend on channel counts, so nine residual units need two: identity and projection.
        assertEquals(count(source, "class ParallelAdd"), 2, source);
    }

    @Test
    public void concatJoin() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(3, 8, 3, 1, 1, 1, true),
                        l.relu(),
                        l.concat(
                                l.conv(8, 4, 1, 1, 0, 1, true),
                                l.sequential(l.conv(8, 6, 3, 1, 1, 1, false), l.batchNorm(6), l.relu()),
                                l.maxPool(3, 1, 1)),
                        l.conv(18, 4, 1, 1, 0, 1, true));
        String source = roundTrip("concat", l, net, new Shape(2, 3, 12, 12));
        assertTrue(source.contains("return torch.cat([y0, y1, y2], 1)"), source);
    }

    @Test
    public void depthwiseConvolution() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(3, 8, 1, 1, 0, 1, false),
                        l.batchNorm(8),
                        l.activation(Activation.relu6Block(), ActivationOp.Kind.RELU6, 0),
                        l.conv(8, 8, 3, 2, 1, 8, false),
                        l.batchNorm(8),
                        l.relu(),
                        l.conv(8, 12, 1, 1, 0, 1, true));
        String source = roundTrip("depthwise", l, net, new Shape(2, 3, 15, 15));
        assertTrue(source.contains("[2, 2], [1, 1], [1, 1], 8)"), source);
    }

    /**
     * djl-prune's adaptive average pooling against LibTorch's {@code adaptive_avg_pool2d}: the identity (7 → 7), tiling
     * bins (14 → 7), overlapping and repeated bins (2 → 7, 13 × 10 → 7 × 3) and a single input (1 → 7).
     */
    @Test
    public void adaptiveAveragePoolingMatchesLibTorchForEveryInputSize() throws Exception {
        int[][] cases = {{7, 7, 7, 7}, {14, 14, 7, 7}, {2, 2, 7, 7}, {13, 10, 7, 3}, {1, 1, 7, 7}};
        for (int[] c : cases) {
            Layers l = new Layers();
            Block net = l.sequential(
                    l.conv(3, 4, 3, 1, 1, 1, true), l.adaptiveAvgPool(c[2], c[3]), l.flatten(),
                    l.linear(4L * c[2] * c[3], 5));
            String source = roundTrip("adaptive" + c[0] + "x" + c[1], l, net, new Shape(2, 3, c[0], c[1]));
            assertTrue(source.contains("torch.adaptive_avg_pool2d(x, [" + c[2] + ", " + c[3] + "])"), source);
        }
    }

    @Test
    public void averageAndGlobalPools() throws Exception {
        Layers l = new Layers();
        Block net =
                l.sequential(
                        l.conv(3, 6, 3, 1, 1, 1, true),
                        l.avgPool(3, 2, 1, false, false),
                        l.avgPool(2, 2, 1, true, true),
                        l.concat(l.globalAvgPool(), l.globalMaxPool()),
                        l.linear(12, 5));
        String source = roundTrip("pools", l, net, new Shape(2, 3, 13, 13));
        assertTrue(source.contains("torch.avg_pool2d(x, [3, 3], [2, 2], [1, 1], False, True, None)"), source);
        assertTrue(source.contains("torch.adaptive_max_pool2d(x, [1, 1])"), source);
    }

    @Test
    public void dropoutIsIdentityInEval() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.flatten(), l.linear(48, 20), l.dropout(0.5f), l.relu(), l.linear(20, 3));
        String source = roundTrip("dropout", l, net, new Shape(2, 3, 4, 4));
        assertTrue(source.contains("torch.dropout(x, 0.5, self.training)"), source);
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
        try (ZipFile zip = new ZipFile(folder.resolve("activations.pt").toFile())) {
            byte[] version = zip.getInputStream(zip.getEntry("archive/version")).readAllBytes();
            // gelu with its explicit approximate argument needs format version 10.
            assertEquals(new String(version, StandardCharsets.US_ASCII), "10\n");
        }
    }

    @Test
    public void batchNormMomentumConventionMatchesInTraining() throws Exception {
        Layers l = new Layers();
        // DJL's momentum 0.7 weights the old running value; PyTorch's must then be 0.3.
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, false), l.batchNorm(4, 1e-5f, 0.7f));
        Shape input = new Shape(4, 3, 8, 8);
        Path file = folder.resolve("momentum.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            TorchScriptWriter.write(net, input, l.classifier, file);
            try (LoadedTorchScript loaded = LoadedTorchScript.load(file, manager.getDevice())) {
                NDList probe = new NDList(manager.randomNormal(input));
                // DJL's PtSymbolBlock assumes a fresh module is in training mode and only switches on a change, so
                // one eval call first makes the training call below really switch the module to training mode.
                loaded.predict(probe);
                // One training-mode step on both updates the running statistics with each side's momentum.
                NDList batch = new NDList(manager.randomNormal(0f, 2f, input, DataType.FLOAT32).add(0.5f));
                NDArray djl = net.forward(new ParameterStore(manager, false), batch, true).singletonOrThrow();
                NDArray torch =
                        loaded.getModel().getBlock().forward(new ParameterStore(manager, false), batch, true).head();
                assertEquals(djl.sub(torch).abs().max().getFloat(), 0f, 1e-5f, "training mode uses batch statistics");
                double difference = new TorchScriptVerifier().verify(loaded, file.toString(), net, probe);
                logger.info("momentum: max |DJL - LibTorch| after one training step = {}", difference);
            }
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private String roundTrip(String name, Layers layers, Block net, Shape input) throws Exception {
        Path file = folder.resolve(name + ".pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, input);
            TorchScriptWriter.write(net, input, layers.classifier, file);
            // A different batch size than the one the tree was classified with: the export is batch-agnostic.
            long[] dims = input.getShape().clone();
            dims[0] = 3;
            NDList inputs = new NDList(manager.randomNormal(new Shape(dims)));
            double difference = new TorchScriptVerifier().verify(file, net, inputs);
            logger.info("{}: max |DJL - LibTorch| = {}", name, difference);
            assertTrue(difference <= TorchScriptVerifier.DEFAULT_TOLERANCE, name + " differs by " + difference);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new String(
                    zip.getInputStream(zip.getEntry("archive/code/__torch__.py")).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }
}
