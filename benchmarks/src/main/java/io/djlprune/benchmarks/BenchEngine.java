package io.djlprune.benchmarks;

import ai.djl.Device;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;

/**
 * Prepares the PyTorch engine on a benchmark's worker thread: device, autograd off, intra-op threads.
 *
 * <p>The benchmarks default to one intra-op thread: on a shared machine a busy core stalls every OpenMP barrier of a
 * multi-threaded forward, which made single forwards up to ten times slower than their median on this project's
 * 2-core machine. One thread measures the kernels; {@code -p threads=0} measures LibTorch's default.
 */
public final class BenchEngine {

    private BenchEngine() {}

    /**
     * Loads the engine, resolves the device, turns autograd off on the calling thread and sets LibTorch's intra-op
     * thread count. Call it from a {@code @Setup} method: JMH runs those on the thread that runs the benchmark.
     *
     * @param device auto, cpu, gpu or gpu:N
     * @param threads intra-op threads, or 0 to keep LibTorch's default (one per core)
     * @return the device to run on
     * @throws IllegalArgumentException if the device cannot be parsed or resolved, or threads is negative
     */
    public static Device prepare(String device, int threads) {
        Device resolved = DeviceChoice.parse(device).resolve(Engines.pytorch().getDevices());
        Engines.prepareInferenceThread(threads);
        return resolved;
    }
}
