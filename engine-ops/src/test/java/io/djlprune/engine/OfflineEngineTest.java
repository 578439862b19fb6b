package io.djlprune.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The engine starts from the natives on the class path with DJL's offline mode on: no download at run time. */
public class OfflineEngineTest {

    @Test
    public void pytorchStartsOfflineFromClassPathNatives() {
        Assert.assertTrue(Utils.isOfflineMode(), "the build runs tests with -Dai.djl.offline=true");
        Assert.assertNotNull(
                Thread.currentThread()
                        .getContextClassLoader()
                        .getResource("native/lib/pytorch.properties"),
                "LibTorch natives must come from the pytorch-native-cpu jar on the class path");
        Engine engine = Engines.pytorch();
        Assert.assertEquals(engine.getEngineName(), "PyTorch");
        Assert.assertEquals(engine.getVersion(), "2.7.1");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            Assert.assertEquals(x.mul(x).sum().getFloat(), 14f);
        }
    }

    @Test
    public void autoSelectsADeviceTheEngineReports() {
        ai.djl.Device device = Engines.select(DeviceChoice.AUTO);
        boolean reported = false;
        for (ai.djl.Device d : Engines.pytorch().getDevices()) {
            reported |= d.equals(device);
        }
        Assert.assertTrue(reported || device.equals(ai.djl.Device.cpu()), "selected " + device);
    }
}
