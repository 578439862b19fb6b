/**
 * Contains the measurements of what pruning buys and costs. The JMH benchmarks time inference of a dense and a
 * compacted network, as a DJL block and as the exported {@code .pt}
 * ({@link io.djlprune.benchmarks.InferenceLatencyBenchmark}), one training step with and without ChipNet's gates
 * and loss ({@link io.djlprune.benchmarks.TrainingStepBenchmark}), and the one-off selection, compaction and export
 * ({@link io.djlprune.benchmarks.CompactExportBenchmark}). {@link io.djlprune.benchmarks.InterleavedLatency} and
 * {@link io.djlprune.benchmarks.InterleavedTrainingStep} measure the same ratios round by round within one process,
 * which a shared machine needs; {@link io.djlprune.benchmarks.LatencyRatios} turns JMH's JSON into a Markdown table.
 * {@link io.djlprune.benchmarks.BenchModels} and {@link io.djlprune.benchmarks.L1FilterNorms} make the networks and
 * their masks, and {@link io.djlprune.benchmarks.BenchEngine} readies the engine on each benchmark thread.
 *
 * <p>It is a module and package of its own so that the library carries no JMH dependency and nothing depends on the
 * benchmarks; how to run them and read the results is in {@code benchmarks/README.md}.
 */
package io.djlprune.benchmarks;
