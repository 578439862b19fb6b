package io.djlprune.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Starts DJL's PyTorch engine and picks the device for a run; the one place that names the engine. */
public final class Engines {

    /** The DJL engine name djl-prune runs on. */
    public static final String PYTORCH = "PyTorch";

    private Engines() {}

    /**
     * Returns DJL's PyTorch engine, loading LibTorch on first use (from the native jar on the class path).
     *
     * @return the engine
     * @throws IllegalStateException if the PyTorch engine is not on the class path or its natives cannot load
     */
    public static Engine pytorch() {
        try {
            return Engine.getEngine(PYTORCH);
        } catch (IllegalArgumentException | ai.djl.engine.EngineException e) {
            throw new IllegalStateException(
                    "DJL's PyTorch engine could not start: "
                            + e.getMessage()
                            + ". Check that ai.djl.pytorch:pytorch-engine and its natives are on the class path.",
                    e);
        }
    }

    /**
     * Readies the calling thread for inference with LibTorch: turns off autograd recording (LibTorch's grad mode is
     * per thread, and DJL turns it off only on the thread that loaded the engine) and, when asked, sets the number of
     * intra-op threads.
     *
     * @param intraOpThreads threads for one op, or 0 to keep LibTorch's default (one per core)
     * @throws IllegalArgumentException if the thread count is negative
     */
    public static void prepareInferenceThread(int intraOpThreads) {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    "Intra-op threads must be 0 (LibTorch's default) or positive, got " + intraOpThreads);
        }
        pytorch();
        JniUtils.setGradMode(false);
        if (intraOpThreads > 0) {
            JniUtils.setNumThreads(intraOpThreads);
        }
    }

    /**
     * Resolves a device choice against the devices the PyTorch engine reports.
     *
     * @param choice the user's choice
     * @return the device to run on
     */
    public static Device select(DeviceChoice choice) {
        return choice.resolve(pytorch().getDevices());
    }
}
