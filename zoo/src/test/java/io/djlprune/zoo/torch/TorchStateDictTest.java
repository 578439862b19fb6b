package io.djlprune.zoo.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlprune.zoo.model.TorchvisionModel;
import io.djlprune.zoo.model.TorchvisionResNet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The restricted reader on hand-written archives: a well-formed state_dict with an offset into a shared storage, a
 * long scalar and big-endian data is read exactly; archives that are not zips, lack data.pkl, hold a truncated or
 * hostile pickle, or miss a storage are refused with messages naming what is wrong.
 */
public class TorchStateDictTest {

    private Path dir;

    @BeforeClass
    public void makeDir() throws IOException {
        dir = Files.createTempDirectory("torch-state-dict-test");
    }

    @AfterClass(alwaysRun = true)
    public void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {'w': float storage '0' [1:7] as 2×3, 'n': long scalar, 'b': float storage '0' [0:2]} with _metadata. */
    private static byte[] stateDictPickle() {
        PickleWriter p = new PickleWriter().proto();
        p.global("collections", "OrderedDict").op(')', 'R', 'q', 0).op('(');
        p.string("w").tensor("FloatStorage", "0", 8, 1, new int[] {2, 3}, new int[] {3, 1}).op('q', 1);
        p.string("n").tensor("LongStorage", "1", 1, 0, new int[] {}, new int[] {});
        p.string("b").tensor("FloatStorage", "0", 8, 0, new int[] {2}, new int[] {1});
        p.op('u');
        // the _metadata attribute, set by BUILD as torch does
        p.op('}').string("_metadata").global("collections", "OrderedDict").op(')', 'R');
        p.string("").op('}').string("version").op('K', 1).op('s').op('s');
        p.op('s', 'b', '.');
        return p.bytes();
    }

    private static Map<String, byte[]> archive(byte[] pickle, ByteOrder order) {
        ByteBuffer floats = ByteBuffer.allocate(32).order(order);
        for (int i = 0; i < 8; i++) {
            floats.putFloat(i * 0.5f);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        entries.put("archive/byteorder", (order == ByteOrder.BIG_ENDIAN ? "big" : "little").getBytes());
        entries.put("archive/data/0", floats.array());
        entries.put("archive/data/1", ByteBuffer.allocate(8).order(order).putLong(123456789012L).array());
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return entries;
    }

    @Test
    public void readsTensorsWithOffsetsScalarsAndByteOrder() throws IOException {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Path file = PickleWriter.zip(dir.resolve("ok-" + order + ".pt"), archive(stateDictPickle(), order));
            try (TorchStateDict dict = TorchStateDict.open(file); NDManager manager = NDManager.newBaseManager()) {
                Assert.assertEquals(dict.names(), List.of("w", "n", "b"));
                Assert.assertEquals(dict.shape("w"), new Shape(2, 3));
                Assert.assertEquals(dict.dtype("n"), TorchDType.INT64);
                NDArray w = dict.read("w", manager);
                Assert.assertEquals(w.getDataType(), DataType.FLOAT32);
                Assert.assertEquals(w.getShape(), new Shape(2, 3));
                Assert.assertEquals(w.toFloatArray(), new float[] {0.5f, 1f, 1.5f, 2f, 2.5f, 3f}, order.toString());
                NDArray n = dict.read("n", manager);
                Assert.assertEquals(n.getShape(), new Shape());
                Assert.assertEquals(n.getLong(), 123456789012L);
                Assert.assertEquals(dict.read("b", manager).toFloatArray(), new float[] {0f, 0.5f});
            }
        }
    }

    @Test
    public void refusesAFileThatIsNotAZip() throws IOException {
        Path file = Files.write(dir.resolve("plain.pt"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c});
        String message = refused(file);
        Assert.assertTrue(message.contains("is not a zip archive"), message);
    }

    @Test
    public void refusesAnArchiveWithoutDataPkl() throws IOException {
        Path file = PickleWriter.zip(dir.resolve("nopkl.pt"), Map.of("archive/version", new byte[] {'3'}));
        String message = refused(file);
        Assert.assertTrue(message.contains("no <folder>/data.pkl"), message);
    }

    @Test
    public void refusesATruncatedPickle() throws IOException {
        byte[] whole = stateDictPickle();
        for (int cut : new int[] {1, 20, whole.length / 2, whole.length - 1}) {
            Map<String, byte[]> entries = archive(Arrays.copyOf(whole, cut), ByteOrder.LITTLE_ENDIAN);
            String message = refused(PickleWriter.zip(dir.resolve("cut" + cut + ".pt"), entries));
            Assert.assertTrue(message.contains("truncated at byte " + cut), message);
        }
    }

    @Test
    public void refusesOsSystemWithoutRunningIt() throws IOException {
        Path marker = dir.resolve("pwned");
        byte[] pickle = new PickleWriter().proto()
                .global("os", "system").string("touch " + marker).op(0x85, 'R', '.').bytes();
        String message = refused(PickleWriter.zip(dir.resolve("os.pt"), archive(pickle, ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("global 'os.system' is not on the allow-list"), message);
        Assert.assertTrue(message.contains("data.pkl byte 2:"), message);
        Assert.assertFalse(Files.exists(marker));
    }

    @Test
    public void refusesBuiltinsEvalAndOtherCallables() throws IOException {
        byte[] eval = new PickleWriter().proto()
                .global("builtins", "eval").string("1+1").op(0x85, 'R', '.').bytes();
        String message = refused(PickleWriter.zip(dir.resolve("eval.pt"), archive(eval, ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("global 'builtins.eval' is not on the allow-list"), message);
        // an allowed global may not be called unless it is a callable of the list: a storage class is only a name
        byte[] storageCall = new PickleWriter().proto().global("torch", "FloatStorage").op(')', 'R', '.').bytes();
        message = refused(PickleWriter.zip(dir.resolve("call.pt"), archive(storageCall, ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("REDUCE calls global torch.FloatStorage"), message);
        // STACK_GLOBAL goes through the same allow-list
        byte[] stackGlobal = new PickleWriter().op(0x80, 4).string("posix").string("system").op(0x93, '.').bytes();
        message = refused(PickleWriter.zip(dir.resolve("sg.pt"), archive(stackGlobal, ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("global 'posix.system' is not on the allow-list"), message);
    }

    @Test
    public void refusesOpcodesOutsideTheAllowList() throws IOException {
        // INST builds an instance of a named class without GLOBAL: never allowed
        byte[] inst = new PickleWriter().proto().op('(').op('i').bytes();
        String message = refused(PickleWriter.zip(dir.resolve("inst.pt"), archive(inst, ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("data.pkl byte 3: opcode 0x69 ('i') is not allowed"), message);
        byte[] newobj = new PickleWriter().proto().global("collections", "OrderedDict").op(')', 0x81).bytes();
        message = refused(PickleWriter.zip(dir.resolve("newobj.pt"), archive(newobj, ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("opcode 0x81 is not allowed"), message);
    }

    @Test
    public void refusesAMissingStorage() throws IOException {
        Map<String, byte[]> entries = archive(stateDictPickle(), ByteOrder.LITTLE_ENDIAN);
        entries.remove("archive/data/1");
        String message = refused(PickleWriter.zip(dir.resolve("nostorage.pt"), entries));
        Assert.assertTrue(message.contains("tensor 'n' uses storage '1', but the archive has no entry archive/data/1"),
                message);
    }

    @Test
    public void refusesAShortStorageAndNonContiguousTensors() throws IOException {
        Map<String, byte[]> entries = archive(stateDictPickle(), ByteOrder.LITTLE_ENDIAN);
        entries.put("archive/data/0", new byte[12]);
        String message = refused(PickleWriter.zip(dir.resolve("short.pt"), entries));
        Assert.assertTrue(message.contains("tensor 'w' needs elements up to 7 of storage '0', which declares 8 and"
                + " holds 3"), message);
        PickleWriter p = new PickleWriter().proto().op('}', '(');
        p.string("t").tensor("FloatStorage", "0", 8, 0, new int[] {2, 3}, new int[] {1, 2}).op('u', '.');
        message = refused(PickleWriter.zip(dir.resolve("transposed.pt"), archive(p.bytes(), ByteOrder.LITTLE_ENDIAN)));
        Assert.assertTrue(message.contains("size [2, 3] and stride [1, 2], which is not contiguous"), message);
    }

    @Test
    public void refusesAPickleThatInflatesBeyondTheLimit() throws IOException {
        // 65 MiB of zeros deflate to a small entry; the reader stops at its 64 MiB bound instead of inflating it all
        Map<String, byte[]> entries = archive(new byte[65 << 20], ByteOrder.LITTLE_ENDIAN);
        Path file = PickleWriter.zip(dir.resolve("bomb.pt"), entries);
        Assert.assertTrue(Files.size(file) < (1 << 20), "the test archive should be small: " + Files.size(file));
        String message = refused(file);
        Assert.assertTrue(message.contains("entry archive/data.pkl is larger than 67108864 bytes"), message);
    }

    @Test
    public void importRefusesAStateDictWithoutClassifierAndAnInitialisedBlock() throws IOException {
        Path file = PickleWriter.zip(dir.resolve("nofc.pt"), archive(stateDictPickle(), ByteOrder.LITTLE_ENDIAN));
        try (NDManager manager = NDManager.newBaseManager()) {
            StateDictMismatchException e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-resnet18", file, manager));
            Assert.assertEquals(e.mismatches(),
                    List.of("fc.weight (the classifier's weight, classes × features) is missing, not 2-dimensional or"
                            + " empty, so the class count is unknown; is this a resnet18 state_dict?"));
            TorchvisionModel model = TorchvisionResNet.build(18, 3);
            model.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            try (TorchStateDict dict = TorchStateDict.open(file)) {
                IllegalArgumentException initialised = Assert.expectThrows(IllegalArgumentException.class,
                        () -> TorchvisionImport.load(model, dict, manager, "test"));
                Assert.assertEquals(initialised.getMessage(),
                        "test: the block is already initialised (conv1.weight has values); load into a freshly built"
                                + " one");
            }
            Assert.expectThrows(IllegalArgumentException.class,
                    () -> TorchvisionImport.load("torchvision-resnet101", file, manager));
        }
    }

    private static String refused(Path file) {
        TorchArchiveException e = Assert.expectThrows(TorchArchiveException.class, () -> {
            try (TorchStateDict dict = TorchStateDict.open(file)) {
                Assert.fail("opened " + file + ": " + dict.names());
            }
        });
        return e.getMessage();
    }
}
