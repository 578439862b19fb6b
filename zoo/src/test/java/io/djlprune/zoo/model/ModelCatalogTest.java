package io.djlprune.zoo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.training.Evaluation;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** Every catalog model builds for grey 28×28 and colour 32×32 inputs and has the published size. */
public class ModelCatalogTest {

    @DataProvider
    public Object[][] models() {
        return new Object[][] {{"lenet5"}, {"resnet20"}, {"resnet56"}};
    }

    @Test(dataProvider = "models")
    public void buildsForGreyAndColourInputs(String name) {
        for (Shape input : new Shape[] {new Shape(2, 1, 28, 28), new Shape(2, 3, 32, 32)}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = ModelCatalog.build(name, 7);
                block.initialize(manager, DataType.FLOAT32, input);
                NDArray out =
                        block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), false)
                                .singletonOrThrow();
                Assert.assertEquals(out.getShape(), new Shape(2, 7), name + " on " + input);
            }
        }
    }

    @Test
    public void publishedParameterCounts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block lenet = ModelCatalog.build("lenet5", 10);
            lenet.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Assert.assertEquals(Evaluation.parameterCount(lenet, true), 431_080L);
            Block resnet = ModelCatalog.build("resnet20", 10);
            resnet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            // 0.27M as published (269,722 with parameter-free shortcuts) plus the two 1×1 projection shortcuts and
            // their BatchNorms (16·32 + 32·64 + 2·32 + 2·64 = 2,752)
            Assert.assertEquals(Evaluation.parameterCount(resnet, true), 269_722L + 2_752L);
        }
    }

    @Test
    public void unknownNameListsTheCatalog() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> ModelCatalog.build("vgg99", 10));
        Assert.assertTrue(e.getMessage().contains("lenet5, resnet20, resnet56, resnet110"), e.getMessage());
        Assert.expectThrows(IllegalArgumentException.class, () -> CifarResNet.build(21, 10));
    }
}
