package io.djlprune.zoo.provider;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.model.ModelCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** DJL's {@code Criteria} finds the catalog models through the service-loaded zoo, offline and initialised. */
public class PruneModelZooTest {

    @DataProvider
    public Object[][] lookups() {
        return new Object[][] {
            {"resnet20", Map.of("classes", 10, "channels", 1, "size", 28), new Shape(1, 1, 28, 28), 10},
            {"mobilenetv2", Map.of("classes", "7", "channels", "3", "size", "32"), new Shape(1, 3, 32, 32), 7},
        };
    }

    @Test(dataProvider = "lookups")
    public void criteriaFindsAnInitialisedModel(String name, Map<String, Object> arguments, Shape input, int classes)
            throws Exception {
        try (ZooModel<NDList, NDList> model = criteria(name, arguments).loadModel();
                NDManager manager = NDManager.newBaseManager()) {
            Block block = model.getBlock();
            Assert.assertTrue(block.isInitialized(), name);
            Assert.assertEquals(block.describeInput().get(0).getValue(), input);
            // The same architecture as the catalog builds: equal parameter counts for the same input.
            Block expected = ModelCatalog.build(name, classes);
            expected.initialize(manager, DataType.FLOAT32, input);
            Assert.assertEquals(
                    Evaluation.parameterCount(block, false), Evaluation.parameterCount(expected, false), name);
            try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
                NDArray out = predictor.predict(new NDList(manager.randomNormal(input))).singletonOrThrow();
                Assert.assertEquals(out.getShape(), new Shape(1, classes), name);
            }
        }
    }

    @Test
    public void defaultsAreTenColourClassesOf32Pixels() throws Exception {
        try (ZooModel<NDList, NDList> model = criteria("lenet5", Map.of()).loadModel()) {
            Assert.assertEquals(model.getBlock().describeInput().get(0).getValue(), new Shape(1, 3, 32, 32));
            Assert.assertEquals(Evaluation.parameterCount(model.getBlock(), true), 657_080L);
        }
    }

    @Test
    public void zooIsServiceLoadedWithEveryCatalogModel() {
        ModelZoo zoo = ModelZoo.getModelZoo(PruneModelZoo.GROUP_ID);
        Assert.assertNotNull(zoo, "no zoo with group id " + PruneModelZoo.GROUP_ID);
        List<String> loaders = new ArrayList<>();
        zoo.getModelLoaders().forEach(loader -> loaders.add(loader.getArtifactId()));
        List<String> names = new ArrayList<>();
        ModelCatalog.names().forEach(names::add);
        // DJL keeps the loaders in a hash map: compare without order.
        loaders.sort(null);
        names.sort(null);
        Assert.assertEquals(loaders, names);
        Assert.assertEquals(zoo.getModelLoader("wrn26-12").getMrl().getGroupId(), PruneModelZoo.GROUP_ID);
    }

    @Test
    public void refusesWhatItCannotBuild() {
        Assert.expectThrows(ModelNotFoundException.class, () -> criteria("vgg99", Map.of()).loadModel());
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> criteria("lenet300", Map.of("classes", "ten")).loadModel());
        Assert.assertEquals(
                e.getMessage(),
                "Argument 'classes' of djl-prune model 'lenet300' must be a whole number, got 'ten' (String)");
        e = Assert.expectThrows(
                IllegalArgumentException.class, () -> criteria("lenet300", Map.of("size", 0)).loadModel());
        Assert.assertEquals(e.getMessage(), "Argument 'size' of djl-prune model 'lenet300' must be at least 1, got 0");
        // below a model's minimum size: refused by name before anything is built (VGG's pools would empty the map)
        e = Assert.expectThrows(
                IllegalArgumentException.class,
                () -> criteria("torchvision-vgg11-bn", Map.of("size", 28)).loadModel());
        Assert.assertTrue(e.getMessage().contains("'torchvision-vgg11-bn' takes inputs of at least 32×32"),
                e.getMessage());
        Assert.expectThrows(
                ModelNotFoundException.class,
                () -> Criteria.builder()
                        .setTypes(String.class, Integer.class)
                        .optGroupId(PruneModelZoo.GROUP_ID)
                        .optArtifactId("lenet300")
                        .build()
                        .loadModel());
    }

    private static Criteria<NDList, NDList> criteria(String name, Map<String, Object> arguments) {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optGroupId(PruneModelZoo.GROUP_ID)
                .optArtifactId(name)
                .optArguments(arguments)
                .build();
    }
}
