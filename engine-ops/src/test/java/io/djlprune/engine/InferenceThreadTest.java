package io.djlprune.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Readying a thread for inference refuses bad thread counts and leaves the thread able to run the engine. */
public class InferenceThreadTest {

    @Test
    public void refusesNegativeThreadCounts() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> Engines.prepareInferenceThread(-1));
        Assert.assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    public void aPreparedWorkerThreadRunsInference() throws Exception {
        // DJL turns autograd recording off on the thread that first loads the engine only; loading it here, on the
        // test thread, keeps the other tests of this JVM from recording autograd history by accident
        Engines.pytorch();
        Thread worker =
                new Thread(
                        () -> {
                            Engines.prepareInferenceThread(1);
                            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                                NDArray x = manager.create(new float[] {1, 2});
                                Assert.assertEquals(x.mul(3).sum().getFloat(), 9f);
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
