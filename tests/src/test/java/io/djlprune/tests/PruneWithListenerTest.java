package io.djlprune.tests;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlprune.chipnet.Pruner;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.examples.PruneWithListener;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The DJL-app flow: fit with the Pruner listener ends in a TorchScript file LibTorch loads, with its plan inside. */
public class PruneWithListenerTest {

    @Test
    public void fitWithThePrunerEndsInALoadableTorchScriptFile() throws Exception {
        // a fixed seed: otherwise the starting weights depend on what ran before in this JVM
        Engine.getInstance().setRandomSeed(1234);
        Path pt = Files.createTempDirectory("example").resolve("lenet5.pt");
        Pruner pruner = PruneWithListener.run("lenet5", new Budget(BudgetKind.FLOPS, 0.3), 2, pt, true);
        Assert.assertTrue(Files.isRegularFile(pt));
        try (LoadedTorchScript loaded = LoadedTorchScript.load(pt, Device.cpu(), TorchScriptExport.PLAN_ENTRY);
                NDManager manager = NDManager.newBaseManager()) {
            String json = loaded.extraFile(TorchScriptExport.PLAN_ENTRY).orElseThrow();
            MaskPlan plan = MaskPlanJson.fromJson(json, pt + "!" + TorchScriptExport.PLAN_ENTRY);
            Assert.assertEquals(plan.getEpoch(), pruner.getBestPlan().getEpoch());
            Assert.assertTrue(plan.getAchievedRatio() <= 0.3);
            NDList out = loaded.predict(new NDList(manager.randomNormal(new Shape(3, 1, 28, 28))));
            Assert.assertEquals(out.head().getShape(), new Shape(3, 10));
        }
    }
}
