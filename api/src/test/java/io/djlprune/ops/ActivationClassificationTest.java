package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import io.djlprune.ops.ActivationOp.Kind;
import org.testng.annotations.Test;

/** Each DJL 0.35 activation factory is recognised by probing, with its parameter. */
public class ActivationClassificationTest {

    private static final Shape INPUT = new Shape(2, 3, 4, 5);

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    private Op classify(Block block) {
        return classifier.classify(block, INPUT, "net/act");
    }

    @Test
    public void reluBlockIsRelu() {
        assertEquals(classify(Activation.reluBlock()), new ActivationOp(Kind.RELU, 0f));
    }

    @Test
    public void relu6BlockIsRelu6() {
        assertEquals(classify(Activation.relu6Block()), new ActivationOp(Kind.RELU6, 0f));
    }

    @Test
    public void sigmoidBlockIsSigmoidWithOneHalfAtZero() {
        Op op = classify(Activation.sigmoidBlock());
        assertEquals(op, new ActivationOp(Kind.SIGMOID, 0f));
        assertEquals(((ActivationOp) op).valueAtZero(), 0.5, 0.0);
    }

    @Test
    public void tanhBlockIsTanh() {
        assertEquals(classify(Activation.tanhBlock()), new ActivationOp(Kind.TANH, 0f));
    }

    @Test
    public void softPlusBlockIsSoftplusWithLnTwoAtZero() {
        Op op = classify(Activation.softPlusBlock());
        assertEquals(op, new ActivationOp(Kind.SOFTPLUS, 0f));
        assertEquals(((ActivationOp) op).valueAtZero(), Math.log(2), 1e-12);
    }

    @Test
    public void leakyReluBlockKeepsItsExactAlpha() {
        assertEquals(classify(Activation.leakyReluBlock(0.1f)), new ActivationOp(Kind.LEAKY_RELU, 0.1f));
        assertEquals(classify(Activation.leakyReluBlock(0.3f)), new ActivationOp(Kind.LEAKY_RELU, 0.3f));
    }

    @Test
    public void eluBlockKeepsItsExactAlpha() {
        assertEquals(classify(Activation.eluBlock(0.7f)), new ActivationOp(Kind.ELU, 0.7f));
        assertEquals(classify(Activation.eluBlock(1f)), new ActivationOp(Kind.ELU, 1f));
    }

    @Test
    public void swishBlockWithBetaOneIsSwish() {
        assertEquals(classify(Activation.swishBlock(1f)), new ActivationOp(Kind.SWISH, 0f));
    }

    @Test
    public void swishBlockWithOtherBetaIsRefused() {
        // x·σ(2x) is not ActivationOp.SWISH; accepting it would make the exporter write the wrong function.
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classify(Activation.swishBlock(2f)));
        assertTrue(e.getMessage().contains("no known element-wise function"), e.getMessage());
    }

    @Test
    public void mishBlockIsMish() {
        assertEquals(classify(Activation.mishBlock()), new ActivationOp(Kind.MISH, 0f));
    }

    @Test
    public void geluBlockIsGelu() {
        assertEquals(classify(Activation.geluBlock()), new ActivationOp(Kind.GELU, 0f));
    }

    @Test
    public void methodReferenceActivationIsRecognisedLikeTheFactoryBlock() {
        // DJL's ResNetV1 adds activations as SequentialBlock.add(Activation::relu): an unnamed LambdaBlock.
        assertEquals(classify(new LambdaBlock(Activation::relu)), new ActivationOp(Kind.RELU, 0f));
    }

    @Test
    public void activationIsRecognisedOnATwoDimensionalInput() {
        assertEquals(
                classifier.classify(Activation.sigmoidBlock(), new Shape(3, 7), "fc/act"),
                new ActivationOp(Kind.SIGMOID, 0f));
    }

    @Test
    public void activationIsRecognisedOnAnInputSmallerThanTheDesignedValues() {
        // 2 elements: the probe must spread its designed values over many inputs and still find α exactly.
        assertEquals(
                classifier.classify(Activation.leakyReluBlock(0.25f), new Shape(1, 2), "tiny"),
                new ActivationOp(Kind.LEAKY_RELU, 0.25f));
    }

    @Test
    public void identityBlockIsIdentity() {
        assertEquals(classify(Blocks.identityBlock()), new IdentityOp());
    }

    @Test
    public void seluBlockIsRefused() {
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classify(Activation.seluBlock()));
        assertEquals(e.getPath(), "net/act");
    }

    @Test
    public void softSignBlockIsRefused() {
        expectThrows(UnsupportedBlockException.class, () -> classify(Activation.softSignBlock()));
    }
}
