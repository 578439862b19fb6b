package io.djlprune.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import io.djlprune.export.TorchScriptWriter;
import io.djlprune.ops.DjlOpClassifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The latency probe times what it is given, the way it says, and refuses what it cannot time. */
public class LatencyProbeTest {

    @Test
    public void refusesNegativeWarmupAndNoRepeats() {
        IllegalArgumentException warmup =
                Assert.expectThrows(IllegalArgumentException.class, () -> LatencyProbe.builder().optWarmup(-1).build());
        Assert.assertTrue(warmup.getMessage().contains("-1"), warmup.getMessage());
        IllegalArgumentException repeats =
                Assert.expectThrows(IllegalArgumentException.class, () -> LatencyProbe.builder().optRepeats(0).build());
        Assert.assertTrue(repeats.getMessage().contains("≥ 1"), repeats.getMessage());
    }

    @Test
    public void medianIsTheMiddleValue() {
        Assert.assertEquals(LatencyProbe.median(new double[] {9, 1, 5}), 5.0);
        Assert.assertEquals(LatencyProbe.median(new double[] {4, 1, 3, 100}), 3.5);
        Assert.assertEquals(LatencyProbe.median(new double[] {7}), 7.0);
    }

    @Test
    public void warmsUpThenTimesEachForwardWithAutogradOff() {
        Engines.pytorch();
        List<Shape> shapes = new ArrayList<>();
        List<Boolean> recording = new ArrayList<>();
        LatencyProbe probe = LatencyProbe.builder().optWarmup(2).optRepeats(5).build();
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
            Latency latency =
                    probe.measure(
                            input -> {
                                shapes.add(input.head().getShape());
                                recording.add(JniUtils.isGradMode());
                                sleep(shapes.size() <= 2 ? 0 : 4);
                                return new NDList(input.head().mul(2));
                            },
                            manager,
                            new Shape(3, 1, 4, 4));
            Assert.assertEquals(shapes.size(), 7, "2 warm-up and 5 timed forwards");
            Assert.assertTrue(shapes.stream().allMatch(s -> s.equals(new Shape(3, 1, 4, 4))), shapes.toString());
            Assert.assertFalse(recording.contains(true), "autograd records nothing while timing");
            Assert.assertTrue(JniUtils.isGradMode(), "the caller's autograd mode is restored");
            Assert.assertEquals(latency.batchSize(), 3);
            Assert.assertEquals(latency.repeats(), 5);
            Assert.assertEquals(latency.warmup(), 2);
            Assert.assertEquals(latency.device(), Device.cpu().toString());
            // only timed forwards sleep 4 ms: warm-ups are not counted, and every timed one is
            Assert.assertTrue(latency.minMs() >= 4, latency.toString());
            Assert.assertTrue(latency.minMs() <= latency.medianMs(), latency.toString());
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    @Test
    public void timesATorchScriptArchiveThroughLibTorch() throws Exception {
        Path pt = Files.createTempDirectory("latency-probe").resolve("linear.pt");
        Shape input = new Shape(1, 6);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
            Block net = new SequentialBlock().add(Linear.builder().setUnits(3).build());
            net.initialize(manager, DataType.FLOAT32, input);
            TorchScriptWriter.write(net, input, DjlOpClassifier.newInstance(), pt);
        }
        Latency latency = LatencyProbe.builder().optWarmup(1).optRepeats(3).build().measure(pt, Device.cpu(), new Shape(8, 6));
        Assert.assertEquals(latency.batchSize(), 8);
        Assert.assertTrue(latency.medianMs() > 0 && latency.minMs() <= latency.meanMs(), latency.toString());

        Assert.expectThrows(
                NoSuchFileException.class,
                () -> LatencyProbe.builder().build().measure(pt.resolveSibling("missing.pt"), Device.cpu(), new Shape(8, 6)));
        IllegalArgumentException unknown =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> LatencyProbe.builder().build().measure(pt, Device.cpu(), new Shape(-1, 6)));
        Assert.assertTrue(unknown.getMessage().contains("(-1, 6)"), unknown.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
