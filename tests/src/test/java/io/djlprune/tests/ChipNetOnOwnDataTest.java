package io.djlprune.tests;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.examples.ChipNetOnOwnData;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.pipeline.PruningResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * ChipNet on an application's own block and datasets (no catalog model, no Fashion-MNIST): the job meets the budget,
 * the compacted network still classifies the data, and the exported file runs in LibTorch at the data's shape.
 */
public class ChipNetOnOwnDataTest {

    @Test
    public void ownBlockAndDatasetsArePrunedExportedAndStillClassify() throws Exception {
        Path pt = Files.createTempDirectory("own-data").resolve("own.pt");
        try (NDManager manager = NDManager.newBaseManager()) {
            PruningResult result = ChipNetOnOwnData.run(Budget.parse("flops=0.3"), pt, 3, manager);
            Assert.assertEquals(result.plan().getMethod(), "chipnet");
            Assert.assertEquals(result.history().size(), 3, "one record per pruning epoch");
            Assert.assertTrue(result.plan().getRatio(BudgetKind.FLOPS) <= 0.3, "FLOPs " + result.plan().getRatio(BudgetKind.FLOPS));
            // three classes: chance is 1/3; the bars are easy, so a working pruned network is far above it
            Assert.assertTrue(result.testAccuracy() > 0.8, "test accuracy " + result.testAccuracy());
        }
        try (LoadedTorchScript loaded = LoadedTorchScript.load(pt, Device.cpu(), TorchScriptExport.PLAN_ENTRY);
                NDManager manager = NDManager.newBaseManager()) {
            NDList out = loaded.predict(new NDList(manager.randomNormal(new Shape(2, 3, 16, 16))));
            Assert.assertEquals(out.head().getShape(), new Shape(2, 3));
        }
    }
}
