package io.djlprune.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Readying a thread for inference refuses bad thread counts and leaves the engine usable. */
public class InferenceThreadTest {

    @Test
    public void refusesNegativeThreadCounts() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> Engines.prepareInferenceThread(-1));
        Assert.assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    public void inferenceStillWorksAndTrainingCanStillRecord() throws Exception {
        Thread worker =
                new Thread(
                        () -> {
                            Engines.prepareInferenceThread(1);
                            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                                NDArray x = manager.create(new float[] {1, 2});
                                Assert.assertEquals(x.mul(3).sum().getFloat(), 9f);
                                x.setRequiresGradient(true);
                                // a gradient collector turns recording back on for training on this thread
                                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                                    collector.backward(x.mul(x).sum());
                                }
                                Assert.assertEquals(x.getGradient().toFloatArray(), new float[] {2, 4});
                            }
                        });
        Throwable[] failure = new Throwable[1];
        worker.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        worker.start();
        worker.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
