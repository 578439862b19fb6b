package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.engine.Engines;
import io.djlprune.engine.LoadedTorchScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Shows the verification can fail: malformed archives are refused by LibTorch and wrong weights are detected. */
public class TorchScriptVerifierTest {

    private static final Logger logger = LoggerFactory.getLogger(TorchScriptVerifierTest.class);

    private static final Shape INPUT = new Shape(2, 3, 10, 10);

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
    public void unchangedCopyLoads() throws Exception {
        // Guards the tests below: the rewriting itself must not break a valid archive.
        Path copy = brokenCopy("copy", (name, data) -> data);
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            try (LoadedTorchScript loaded = LoadedTorchScript.load(copy, manager.getDevice())) {
                NDList out = loaded.predict(new NDList(manager.randomNormal(INPUT)));
                assertEquals(out.head().getShape(), new Shape(2, 5));
            }
        }
    }

    @Test
    public void missingConstantsIsRefused() throws Exception {
        Path broken = brokenCopy("no_constants", (name, data) -> name.equals("constants.pkl") ? null : data);
        MalformedModelException e = expectLoadFailure(broken);
        assertTrue(e.getMessage().contains("constants.pkl"), e.getMessage());
    }

    @Test
    public void version11IsRefused() throws Exception {
        Path broken =
                brokenCopy(
                        "version11",
                        (name, data) -> name.equals("version") ? "11\n".getBytes(StandardCharsets.US_ASCII) : data);
        MalformedModelException e = expectLoadFailure(broken);
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @Test
    public void attributeMissingFromDataPklIsRefused() throws Exception {
        // The source declares one attribute more than data.pkl holds.
        String declaration = "training : bool\n";
        Path broken =
                brokenCopy(
                        "missing_attribute",
                        (name, data) ->
                                name.equals("code/__torch__.py")
                                        ? new String(data, StandardCharsets.UTF_8)
                                                .replaceFirst(declaration, declaration + "  scale : Tensor\n")
                                                .getBytes(StandardCharsets.UTF_8)
                                        : data);
        MalformedModelException e = expectLoadFailure(broken);
        assertTrue(e.getMessage().contains("not in the map"), e.getMessage());
    }

    @Test
    public void wrongOrNonFiniteWeightIsDetected() throws Exception {
        Layers l = new Layers();
        Block net = smallNet(l);
        Path file = folder.resolve("wrong_weight.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            TorchScriptWriter.write(net, INPUT, l.classifier, file);
            NDList inputs = new NDList(manager.randomNormal(INPUT));
            assertTrue(new TorchScriptVerifier().verify(file, net, inputs) <= TorchScriptVerifier.DEFAULT_TOLERANCE);
            // Change one weight of the DJL model after export: the two no longer agree.
            NDArray weight = net.getChildren().get(0).getValue().getParameters().get("weight").getArray();
            weight.set(new NDIndex("0, 0, 0, 0"), weight.getFloat(0, 0, 0, 0) + 0.05f);
            ExportMismatchException e =
                    expectThrows(
                            ExportMismatchException.class, () -> new TorchScriptVerifier().verify(file, net, inputs));
            assertTrue(e.getMaxAbsDifference() > TorchScriptVerifier.DEFAULT_TOLERANCE, e.getMessage());
            assertTrue(e.getMessage().contains("wrong_weight.pt"), e.getMessage());
            // A loose enough tolerance accepts the same pair and reports the difference.
            double difference = new TorchScriptVerifier(1.0).verify(file, net, inputs);
            assertEquals(difference, e.getMaxAbsDifference(), 1e-9);
            // A NaN weight: whatever the tolerance, the pair is refused, and the message names the side.
            weight.set(new NDIndex("0, 0, 0, 0"), Float.NaN);
            ExportMismatchException nan =
                    expectThrows(
                            ExportMismatchException.class, () -> new TorchScriptVerifier(1e9).verify(file, net, inputs));
            assertTrue(nan.getMessage().contains("not finite"), nan.getMessage());
            assertTrue(nan.getMessage().contains(" 0 from the archive"), nan.getMessage());
            assertTrue(Double.isNaN(nan.getMaxAbsDifference()));
        }
    }

    @Test
    public void extraFilesAreReadableAfterLoad() throws Exception {
        Layers l = new Layers();
        Block net = smallNet(l);
        Path file = folder.resolve("extras.pt");
        String plan = "{\"budget\":\"FLOPS\",\"target\":0.5,\"groups\":{\"g0\":[0,2,3]},\"note\":\"β ≥ 0\"}";
        String report = "{\"accuracy\":0.913,\"flops\":123456}";
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            TorchScriptWriter.write(
                    net,
                    INPUT,
                    l.classifier,
                    file,
                    Map.of(
                            "mask_plan.json", plan.getBytes(StandardCharsets.UTF_8),
                            "djlprune/report.json", report.getBytes(StandardCharsets.UTF_8)));
            try (LoadedTorchScript loaded =
                    LoadedTorchScript.load(
                            file, manager.getDevice(), "mask_plan.json", "djlprune/report.json", "absent.json")) {
                assertEquals(loaded.extraFile("mask_plan.json").orElseThrow(), plan);
                assertEquals(loaded.extraFile("djlprune/report.json").orElseThrow(), report);
                assertFalse(loaded.extraFile("absent.json").isPresent());
                assertThrows(IllegalArgumentException.class, () -> loaded.extraFile("not_requested.json"));
            }
        }
    }

    @Test
    public void notAnArchiveIsRefused() throws Exception {
        Path file = folder.resolve("garbage.pt");
        Files.write(file, "not a zip".getBytes(StandardCharsets.US_ASCII));
        expectLoadFailure(file);
    }

    private MalformedModelException expectLoadFailure(Path file) {
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            MalformedModelException e =
                    expectThrows(
                            MalformedModelException.class,
                            () -> LoadedTorchScript.load(file, manager.getDevice()).close());
            logger.info("{} refused: {}", file.getFileName(), e.getMessage().lines().findFirst().orElse(""));
            return e;
        }
    }

    private Path brokenCopy(String name, BiFunction<String, byte[], byte[]> transform) throws Exception {
        Layers l = new Layers();
        Block net = smallNet(l);
        Path valid = folder.resolve(name + "_valid.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            TorchScriptWriter.write(net, INPUT, l.classifier, valid);
        }
        Path broken = folder.resolve(name + ".pt");
        Archives.rewrite(valid, broken, transform);
        return broken;
    }

    private static Block smallNet(Layers l) {
        return l.sequential(
                l.conv(3, 4, 3, 1, 1, 1, true),
                l.batchNorm(4),
                l.relu(),
                l.maxPool(2, 2, 0),
                l.flatten(),
                l.linear(4 * 5 * 5, 5));
    }
}
