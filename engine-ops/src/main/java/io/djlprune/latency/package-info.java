/**
 * Contains the measurement of latency tables on a device through DJL's PyTorch engine:
 * {@link io.djlprune.latency.LibTorchLayerTimer} builds each prunable layer as the small block it becomes once
 * compacted (and the dense network) for the library's {@link io.djlprune.cost.LatencyTableBuilder} to time, and
 * {@link io.djlprune.latency.LatencyTables} loads a {@link io.djlprune.cost.LatencyTable} from its cache file when its
 * key (device, LibTorch version, graph, batch size, threads, grid step, kernel limit) matches, or measures and stores
 * it.
 *
 * <p>It is a package of its own because it joins the two sides the others keep apart: the network's structure
 * ({@link io.djlprune.graph}, {@link io.djlprune.cost}) and the runtime ({@link io.djlprune.engine}, which depends on no
 * other djl-prune package).
 */
package io.djlprune.latency;
