package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.engine.Engines;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The byte-level facts of TORCHSCRIPT.md: pickle subset, container layout, alignment, determinism. */
public class ArchiveFormatTest {

    private static final Shape INPUT = new Shape(1, 2, 6, 6);

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
    public void constantsPickleIsTheEmptyTuple() {
        assertEquals(DataPickler.emptyConstants(), new byte[] {(byte) 0x80, 0x02, 0x29, 0x2e});
    }

    @Test
    public void integersUseTheAcceptedEncodings() {
        byte[] pickle =
                new PickleWriter().integer(7).integer(300).integer(70000).integer(-1).integer(1L << 40).finish();
        byte[] expected = {
            (byte) 0x80, 2,
            'K', 7,
            'M', 44, 1,
            'J', 0x70, 0x11, 1, 0,
            'J', -1, -1, -1, -1,
            (byte) 0x8a, 8, 0, 0, 0, 0, 0, 1, 0, 0,
            '.'
        };
        assertEquals(pickle, expected);
    }

    @Test
    public void globalsAreMemoisedAndFloatsAreBigEndian() {
        byte[] pickle =
                new PickleWriter()
                        .global("torch", "FloatStorage")
                        .global("torch", "FloatStorage")
                        .floating(1.0)
                        .finish();
        byte[] expected = {
            (byte) 0x80, 2,
            'c', 't', 'o', 'r', 'c', 'h', '\n', 'F', 'l', 'o', 'a', 't', 'S', 't', 'o', 'r', 'a', 'g', 'e', '\n',
            'q', 0,
            'h', 0,
            'G', 0x3f, (byte) 0xf0, 0, 0, 0, 0, 0, 0,
            '.'
        };
        assertEquals(pickle, expected);
    }

    @Test
    public void containerLayoutMatchesLibTorch() throws Exception {
        Path file = write("layout.pt", Map.of("mask_plan.json", "{}".getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> records = Archives.records(file);
        for (String name : records.keySet()) {
            assertTrue(name.startsWith("archive/"), name);
        }
        assertEquals(new String(records.get("archive/version"), StandardCharsets.US_ASCII), "3\n");
        assertEquals(new String(records.get("archive/byteorder"), StandardCharsets.US_ASCII), "little");
        assertEquals(records.get("archive/constants.pkl"), DataPickler.emptyConstants());
        assertEquals(records.get("archive/extra/mask_plan.json"), "{}".getBytes(StandardCharsets.UTF_8));
        byte[] pickle = records.get("archive/data.pkl");
        assertEquals(Arrays.copyOf(pickle, 2), new byte[] {(byte) 0x80, 2});
        assertEquals(pickle[pickle.length - 1], (byte) '.');
        // Conv weight (3, 2, 3, 3), bias, BN weight, bias, running mean, running var: six storages.
        assertEquals(records.keySet().stream().filter(n -> n.startsWith("archive/data/")).count(), 6);
        assertEquals(records.get("archive/data/0").length, 3 * 2 * 3 * 3 * Float.BYTES);

        List<long[]> headers = localHeaders(Files.readAllBytes(file));
        assertEquals(headers.size(), records.size());
        for (long[] header : headers) {
            assertEquals(header[1], 0, "stored, not deflated");
            assertEquals(header[0] % ArchiveWriter.ALIGNMENT, 0, "data offset " + header[0] + " is 64-byte aligned");
        }
    }

    @Test
    public void sameModelGivesIdenticalBytes() throws Exception {
        Path first = write("first.pt", Map.of());
        Path second = write("second.pt", Map.of());
        assertEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    private Path write(String name, Map<String, byte[]> extras) throws Exception {
        Layers l = new Layers();
        Block net = l.sequential(l.conv(2, 3, 3, 1, 1, 1, true), l.batchNorm(3), l.relu());
        Path file = folder.resolve(name);
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            Exports.initialise(net, manager, INPUT);
            TorchScriptWriter.write(net, INPUT, l.classifier, file, extras);
        }
        return file;
    }

    /** Walks the local file headers from the start: {data offset, compression method} for each record. */
    private static List<long[]> localHeaders(byte[] zip) {
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> headers = new ArrayList<>();
        int at = 0;
        while (buffer.getInt(at) == 0x04034b50) {
            int method = buffer.getShort(at + 8) & 0xffff;
            long size = buffer.getInt(at + 18) & 0xffffffffL;
            int nameLength = buffer.getShort(at + 26) & 0xffff;
            int extraLength = buffer.getShort(at + 28) & 0xffff;
            long data = at + 30L + nameLength + extraLength;
            headers.add(new long[] {data, method});
            at = (int) (data + size);
        }
        return headers;
    }
}
