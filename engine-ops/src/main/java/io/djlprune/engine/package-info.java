/**
 * Contains the classes that run models on DJL's PyTorch engine: {@link io.djlprune.engine.Engines} starts it (the one
 * place that names the engine) and readies inference threads, {@link io.djlprune.engine.DeviceChoice} turns a user's
 * {@code auto}/{@code cpu}/{@code gpu:N} into a device the engine reports, {@link io.djlprune.engine.LoadedTorchScript}
 * loads a {@code .pt} archive through LibTorch as a server would, and {@link io.djlprune.engine.LatencyProbe} times a
 * forward into a {@link io.djlprune.engine.Latency}; {@link io.djlprune.engine.InterleavedTiming} times several networks
 * in one process, interleaved round by round, for latency ratios that a shared machine's load does not distort.
 *
 * <p>This is the runtime side of engine-ops and depends on no other djl-prune package. The dependency with
 * {@link io.djlprune.export} goes one way, export to engine: the writer verifies its archives by loading them here,
 * while loading and timing a {@code .pt} needs nothing of how it was written. {@code LoadedTorchScript} therefore
 * lives here rather than beside the writer, so that {@code LatencyProbe} can time a file without a cycle between the
 * two packages.
 */
package io.djlprune.engine;
