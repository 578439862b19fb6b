package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import io.djlprune.ops.ActivationOp.Kind;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;

/** User rules: per classifier through the builder, JVM-wide through OpRules, copied when a classifier is built. */
public class OpRulesTest {

    private static final Shape INPUT = new Shape(2, 3, 4, 4);
    private static final Op DOUBLED = new ActivationOp(Kind.LEAKY_RELU, 2f);

    @AfterMethod
    public void removeGlobalRules() {
        OpRules.unregister(RefusalTest.Doubler.class);
        OpRules.unregister(LambdaBlock.class);
    }

    @Test
    public void builderRuleDescribesACustomBlock() {
        OpClassifier classifier =
                DjlOpClassifier.builder()
                        .optGlobalRules(false)
                        .addRule(RefusalTest.Doubler.class, (block, shape, path) -> DOUBLED)
                        .build();
        assertEquals(classifier.classify(new RefusalTest.Doubler(), INPUT, "d"), DOUBLED);
    }

    @Test
    public void ruleReceivesTheBlockShapeAndPath() {
        RefusalTest.Doubler doubler = new RefusalTest.Doubler();
        OpClassifier classifier =
                DjlOpClassifier.builder()
                        .optGlobalRules(false)
                        .addRule(
                                RefusalTest.Doubler.class,
                                (block, shape, path) -> {
                                    assertEquals(block, doubler);
                                    assertEquals(shape, INPUT);
                                    assertEquals(path, "head/d");
                                    return DOUBLED;
                                })
                        .build();
        assertEquals(classifier.classify(doubler, INPUT, "head/d"), DOUBLED);
    }

    @Test
    public void globallyRegisteredRuleIsUsedByClassifiersBuiltAfterwards() {
        OpRules.register(RefusalTest.Doubler.class, (block, shape, path) -> DOUBLED);
        assertEquals(DjlOpClassifier.newInstance().classify(new RefusalTest.Doubler(), INPUT, "d"), DOUBLED);
    }

    @Test
    public void classifierBuiltBeforeARegistrationDoesNotSeeIt() {
        DjlOpClassifier before = DjlOpClassifier.newInstance();
        OpRules.register(RefusalTest.Doubler.class, (block, shape, path) -> DOUBLED);
        expectThrows(
                UnsupportedBlockException.class, () -> before.classify(new RefusalTest.Doubler(), INPUT, "d"));
    }

    @Test
    public void classifierWithoutGlobalRulesIgnoresThem() {
        OpRules.register(RefusalTest.Doubler.class, (block, shape, path) -> DOUBLED);
        OpClassifier isolated = DjlOpClassifier.builder().optGlobalRules(false).build();
        expectThrows(
                UnsupportedBlockException.class, () -> isolated.classify(new RefusalTest.Doubler(), INPUT, "d"));
    }

    @Test
    public void registeredRuleComesBeforeTheBuiltInProbe() {
        Op declared = new ActivationOp(Kind.TANH, 0f);
        OpRules.register(LambdaBlock.class, (block, shape, path) -> declared);
        assertEquals(DjlOpClassifier.newInstance().classify(Activation.reluBlock(), INPUT, "a"), declared);
    }

    @Test
    public void builderRuleComesBeforeAGlobalRule() {
        OpRules.register(RefusalTest.Doubler.class, (block, shape, path) -> new IdentityOp());
        OpClassifier classifier =
                DjlOpClassifier.builder().addRule(RefusalTest.Doubler.class, (block, shape, path) -> DOUBLED).build();
        assertEquals(classifier.classify(new RefusalTest.Doubler(), INPUT, "d"), DOUBLED);
    }

    @Test
    public void ruleReturningNullIsAnError() {
        OpClassifier classifier =
                DjlOpClassifier.builder()
                        .optGlobalRules(false)
                        .addRule(RefusalTest.Doubler.class, (block, shape, path) -> null)
                        .build();
        expectThrows(
                IllegalStateException.class, () -> classifier.classify(new RefusalTest.Doubler(), INPUT, "d"));
    }
}
