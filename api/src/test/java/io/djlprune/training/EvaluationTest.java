package io.djlprune.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Accuracy and parameter counts measured outside a trainer. */
public class EvaluationTest {

    @Test
    public void countsParametersAndSkipsRunningStatisticsWhenAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(4).build())
                            .add(BatchNorm.builder().optAxis(1).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            // linear 3·4 + 4, BN gamma + beta 4 + 4, running mean + var 4 + 4
            Assert.assertEquals(Evaluation.parameterCount(block, true), 24);
            Assert.assertEquals(Evaluation.parameterCount(block, false), 32);
        }
    }

    @Test
    public void accuracyCountsArgmaxMatches() throws IOException, TranslateException {
        try (NDManager manager = NDManager.newBaseManager()) {
            // identity "classifier": the score of class c is feature c
            Block block = Linear.builder().setUnits(3).optBias(false).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            block.getParameters().get("weight").getArray().set(manager.eye(3).toFloatArray());
            float[][] x = {{1, 0, 0}, {0, 2, 0}, {0, 0, 3}, {5, 0, 0}};
            float[] y = {0, 1, 0, 0}; // the third sample is misclassified
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(manager.create(x))
                            .optLabels(manager.create(y))
                            .setSampling(3, false)
                            .build();
            Assert.assertEquals(Evaluation.accuracy(block, data, manager), 0.75, 1e-12);
        }
    }
}
