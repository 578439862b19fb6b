package io.djlprune.ops;

import static org.testng.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import org.testng.annotations.Test;

/** Probing must not disturb the user's training: the engine's random stream is left where it was. */
public class ProbeSideEffectTest {

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    @Test
    public void probingDoesNotAdvanceTheEngineRandomStream() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(42);
            float[] undisturbed = manager.randomUniform(0f, 1f, new Shape(8)).toFloatArray();

            Engine.getInstance().setRandomSeed(42);
            classifier.classify(Activation.geluBlock(), new Shape(2, 3, 4, 4), "act");
            classifier.classify(Pool.maxPool2dBlock(new Shape(2, 2)), new Shape(2, 3, 4, 4), "pool");
            float[] afterProbing = manager.randomUniform(0f, 1f, new Shape(8)).toFloatArray();

            assertEquals(afterProbing, undisturbed);
        }
    }
}
