package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import io.djlprune.engine.Engines;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.UnsupportedBlockException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/** The writer refuses what it cannot express, by name, and never leaves a partial file behind. */
public class TorchScriptWriterTest {

    private static final Shape INPUT = new Shape(2, 3, 8, 8);

    private Path folder;

    @BeforeMethod
    public void createFolder() throws Exception {
        folder = Exports.newFolder();
    }

    @AfterMethod(alwaysRun = true)
    public void deleteFolder() throws Exception {
        Exports.deleteTree(folder);
    }

    @Test
    public void unsupportedBlockIsRefusedByPathAndNothingIsWritten() throws Exception {
        Layers l = new Layers();
        // SELU is not an op the classifier knows; it sits second in the second child.
        Block net =
                l.sequential(
                        l.conv(3, 4, 3, 1, 1, 1, true), l.sequential(l.relu(), Activation.seluBlock()), l.flatten());
        Path target = folder.resolve("model.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            UnsupportedBlockException e =
                    expectThrows(
                            UnsupportedBlockException.class,
                            () -> TorchScriptWriter.write(net, INPUT, l.classifier, target));
            assertEquals(e.getPath(), "02SequentialBlock/02LambdaBlock");
            assertTrue(e.getMessage().contains("02SequentialBlock/02LambdaBlock"), e.getMessage());
        }
        assertEquals(Exports.listing(folder), List.of(), "no file, no temporary left");
    }

    @Test
    public void parametersThatContradictTheOpAreRefused() throws Exception {
        Layers l = new Layers();
        // The block has a bias but is described as bias-free: writing it would silently drop the bias.
        Block conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build();
        l.classifier.leaf(
                conv,
                new Conv2dOp(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, false));
        Block net = l.sequential(l.relu(), conv);
        Path target = folder.resolve("model.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            UnsupportedExportException e =
                    expectThrows(
                            UnsupportedExportException.class,
                            () -> TorchScriptWriter.write(net, INPUT, l.classifier, target));
            assertEquals(e.getPath(), "02Conv2d");
            assertTrue(e.getMessage().contains("[bias, weight]"), e.getMessage());
        }
        assertEquals(Exports.listing(folder), List.of());
    }

    @Test
    public void blockSharedAtTwoPathsIsRefusedButSharedReluIsNot() throws Exception {
        Layers l = new Layers();
        Block conv = l.conv(4, 4, 3, 1, 1, 1, true);
        Block relu = l.relu();
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true), relu, conv, relu, conv);
        Path target = folder.resolve("model.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            UnsupportedExportException e =
                    expectThrows(
                            UnsupportedExportException.class,
                            () -> TorchScriptWriter.write(net, INPUT, l.classifier, target));
            assertEquals(e.getPath(), "05Conv2d");
            assertTrue(e.getMessage().contains("'03Conv2d'"), e.getMessage());
        }
        assertEquals(Exports.listing(folder), List.of());
    }

    @Test
    public void unwritableTargetFailsClearlyWithoutPartialFile() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true), l.relu());
        Path blocker = Files.write(folder.resolve("blocker"), new byte[] {1});
        Path target = blocker.resolve("model.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            IOException e =
                    expectThrows(IOException.class, () -> TorchScriptWriter.write(net, INPUT, l.classifier, target));
            assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("not a writable folder"), e.getMessage());
        }
        assertEquals(Exports.listing(folder), List.of("blocker"));
        assertEquals(Files.readAllBytes(blocker), new byte[] {1});
    }

    @Test
    public void directoryTargetIsRefused() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true));
        Path target = Files.createDirectory(folder.resolve("model.pt"));
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            IOException e =
                    expectThrows(IOException.class, () -> TorchScriptWriter.write(net, INPUT, l.classifier, target));
            assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        }
        assertEquals(Exports.listing(folder), List.of("model.pt"));
        assertEquals(Exports.listing(target), List.of());
    }

    @Test
    public void existingTargetIsReplacedAndMissingFoldersCreated() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true), l.relu());
        Path target = folder.resolve("a/b/model.pt");
        Files.createDirectories(target.getParent());
        Files.write(target, "old".getBytes(StandardCharsets.US_ASCII));
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            TorchScriptWriter.write(net, INPUT, l.classifier, target);
            NDList inputs = new NDList(manager.randomNormal(INPUT));
            assertTrue(new TorchScriptVerifier().verify(target, net, inputs) <= TorchScriptVerifier.DEFAULT_TOLERANCE);
        }
        assertEquals(Exports.listing(target.getParent()), List.of("model.pt"));
        if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // The archive gets the permissions of any new file there, not a temporary file's owner-only ones.
            Path plain = Files.createFile(folder.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(target), Files.getPosixFilePermissions(plain));
        }
    }

    @Test
    public void uninitialisedBlockIsRefused() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true));
        Path target = folder.resolve("model.pt");
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TorchScriptWriter.write(net, INPUT, l.classifier, target));
        assertTrue(e.getMessage().contains("initialise"), e.getMessage());
        assertEquals(Exports.listing(folder), List.of());
    }

    @Test
    public void invalidExtraFileNamesAreRefused() throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.conv(3, 4, 3, 1, 1, 1, true));
        Path target = folder.resolve("model.pt");
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            for (String name : List.of("../escape.json", "a,b.json", "/abs.json", "", "dir/", "./x")) {
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TorchScriptWriter.write(net, INPUT, l.classifier, target, Map.of(name, new byte[0])));
            }
        }
        assertEquals(Exports.listing(folder), List.of());
    }
}
