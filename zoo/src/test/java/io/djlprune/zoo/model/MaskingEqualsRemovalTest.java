package io.djlprune.zoo.model;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * For every catalog model, a random hard mask applied through the ChipNet gates gives exactly the output of the dense
 * model with the removed channels zeroed at their source (masking is removal) and of the physically compacted model,
 * whose own parameter and FLOP counts equal the mask's exact costs. BatchNorm statistics and affine
 * parameters are randomised first, so a leaking β or a non-zero running mean would show.
 */
public class MaskingEqualsRemovalTest {

    private static final Logger LOG = LoggerFactory.getLogger(MaskingEqualsRemovalTest.class);

    private static final Shape GREY = new Shape(1, 1, 28, 28);
    private static final Shape COLOUR = new Shape(2, 3, 32, 32);

    /** The small models on both inputs, the big ones on one grey image only (the test time is shared). */
    @DataProvider
    public Object[][] models() {
        return new Object[][] {
            {"lenet300", COLOUR}, {"lenet300", GREY},
            {"lenet5", COLOUR}, {"lenet5", GREY},
            {"vgg11", COLOUR}, {"vgg11", GREY},
            {"vgg16", GREY},
            {"resnet20", COLOUR}, {"resnet20", GREY},
            {"resnet56", GREY},
            {"resnet110", GREY},
            {"preresnet164", GREY},
            {"wrn16-4", COLOUR}, {"wrn16-4", GREY},
            {"wrn26-12", GREY},
            {"mobilenetv2", COLOUR}, {"mobilenetv2", GREY},
            {"djl-resnet18", COLOUR}, {"djl-resnet18", GREY},
            {"djl-resnet50", GREY},
            {"djl-mobilenetv2", GREY},
            // torchvision's structure: MobileNetV2 with ImageNet strides, VGG with adaptive pooling and the 4096-wide
            // classifier (32×32 is its smallest input: 1×1 features repeated to 7×7)
            {"torchvision-mobilenet-v2", COLOUR},
            {"torchvision-vgg11-bn", COLOUR},
        };
    }

    @Test(dataProvider = "models")
    public void maskingThroughGatesEqualsZeroingTheChannels(String name, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            check(name + " on " + input, ModelCatalog.build(name, 10), input, manager);
        }
    }

    /** DJL's own ResNetV1-18, built by DJL's builder here, goes through the same generic path as the zoo's models. */
    @Test
    public void djlResNet18IsGatedAndMaskedWithoutSpecificCode() {
        Block resnet18 =
                ResNetV1.builder().setImageShape(new Shape(3, 32, 32)).setNumLayers(18).setOutSize(10).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            check("ai.djl.basicmodelzoo ResNetV1-18 on " + COLOUR, resnet18, COLOUR, manager);
        }
    }

    private static void check(String what, Block block, Shape input, NDManager manager) {
        MaskingCheck.Result result = MaskingCheck.run(block, input, what.hashCode(), manager);
        LOG.info(
                "{}: {} of {} prunable channels removed; gated vs zeroed max |Δ| = {}, gated vs compacted {} (outputs"
                        + " up to {}, the mask moved them by up to {})",
                what, result.removed(), result.prunable(), result.maxAbsDiff(), result.compactDiff(),
                result.outputScale(), result.maskEffect());
        Assert.assertTrue(result.removed() > 0, what + ": the mask removed nothing");
        Assert.assertTrue(result.maskEffect() > 1e-3, what + ": the mask did not change the output, " + result);
        Assert.assertTrue(result.maxAbsDiff() <= 1e-5, what + ": masking is not removal, " + result);
        // Float32 sums over fewer channels round differently; the deep ResNets' random-statistics outputs reach a few
        // hundred, so the bound is 1e-5 relative to the output scale (it is 1e-5 absolute for outputs up to 1).
        Assert.assertTrue(
                result.compactDiff() <= 1e-5 * Math.max(1, result.outputScale()),
                what + ": compaction is not exact, " + result);
        Assert.assertTrue(result.compactCostMatches(), what + ": the compacted network's costs differ from the mask's");
    }
}
