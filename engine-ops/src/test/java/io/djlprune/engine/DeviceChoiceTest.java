package io.djlprune.engine;

import ai.djl.Device;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Device selection: GPU when the engine reports one, CPU otherwise, and clear errors for impossible requests. */
public class DeviceChoiceTest {

    private static final Device[] CPU_ONLY = {Device.cpu()};
    private static final Device[] TWO_GPUS = {Device.gpu(0), Device.gpu(1)};

    @Test
    public void autoPrefersTheFirstGpu() {
        Assert.assertEquals(DeviceChoice.AUTO.resolve(TWO_GPUS), Device.gpu(0));
        Assert.assertEquals(DeviceChoice.parse("auto").resolve(CPU_ONLY), Device.cpu());
    }

    @Test
    public void cpuIsAlwaysCpu() {
        Assert.assertEquals(DeviceChoice.parse("CPU").resolve(TWO_GPUS), Device.cpu());
    }

    @Test
    public void explicitGpuIndex() {
        Assert.assertEquals(DeviceChoice.parse("gpu:1").resolve(TWO_GPUS), Device.gpu(1));
        Assert.assertEquals(DeviceChoice.parse("gpu").resolve(TWO_GPUS), Device.gpu(0));
        IllegalStateException e =
                Assert.expectThrows(IllegalStateException.class, () -> DeviceChoice.parse("gpu:2").resolve(TWO_GPUS));
        Assert.assertTrue(e.getMessage().contains("GPU 2"), e.getMessage());
    }

    @Test
    public void gpuWithoutOneIsRefusedWithTheRemedy() {
        IllegalStateException e =
                Assert.expectThrows(IllegalStateException.class, () -> DeviceChoice.parse("gpu").resolve(CPU_ONLY));
        Assert.assertTrue(e.getMessage().contains("-Dcuda"), e.getMessage());
    }

    @Test
    public void malformedChoicesAreRefused() {
        for (String bad : new String[] {"tpu", "gpu:-1", "gpu:x", "", "gpu:"}) {
            IllegalArgumentException e =
                    Assert.expectThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(bad));
            Assert.assertTrue(e.getMessage().contains("auto, cpu, gpu or gpu:N"), e.getMessage());
        }
    }
}
