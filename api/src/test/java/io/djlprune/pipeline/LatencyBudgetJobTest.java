package io.djlprune.pipeline;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.ndarray.types.Shape;
import io.djlprune.cost.Budget;
import io.djlprune.cost.LatencyCalibration;
import io.djlprune.cost.LatencyKey;
import io.djlprune.cost.LatencyLayer;
import io.djlprune.cost.LatencyTable;
import io.djlprune.data.DataSplits;
import io.djlprune.method.ScoringMethod;
import io.djlprune.testing.TestModels;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** A job with a latency budget needs a latency table, and takes one. */
public class LatencyBudgetJobTest {

    @Test
    public void aLatencyBudgetWithoutATableIsRefusedWhenTheJobIsBuilt() {
        try (Model model = Model.newInstance("lenet5");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(TestModels.lenet5());
            ArrayDataset images =
                    new ArrayDataset.Builder()
                            .setData(manager.zeros(new Shape(4, 1, 28, 28)))
                            .optLabels(manager.zeros(new Shape(4)))
                            .setSampling(2, false)
                            .build();
            DataSplits data = new DataSplits(images, images, images, new Shape(1, 28, 28), 10);
            PruningJob.Builder builder =
                    PruningJob.builder()
                            .setModel(model)
                            .setData(data, 32)
                            .setMethod(ScoringMethod.l1())
                            .setBudget(Budget.parse("latency=0.5"));
            IllegalArgumentException refused = Assert.expectThrows(IllegalArgumentException.class, builder::build);
            Assert.assertTrue(refused.getMessage().contains("latency table"), refused.getMessage());
            LatencyLayer layer = new LatencyLayer(0, List.of(), LatencyLayer.Kind.CONV, 1, 20, "conv");
            LatencyTable table =
                    new LatencyTable(
                            new LatencyKey("cpu()", "PyTorch", "2.7.1", "f", 64, 1, 1, 1, "default"), 2.0,
                            new LatencyCalibration(new double[] {0.1, 1.5}, new double[] {0.6, 2.0}),
                            List.of(new LatencyTable.LayerTimes(layer, new double[] {1}, new double[] {1, 20},
                                    new double[][] {{0.1, 1.5}})));
            Assert.assertNotNull(builder.optLatencyTable(table).build());
            Assert.assertThrows(IllegalArgumentException.class,
                    () -> PruningJob.builder().optLatencyTable(null));
        }
    }
}
