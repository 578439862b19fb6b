package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.djlprune.engine.Engines;
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
