/**
 * Native memory made visible: the resident size of the process and the live native arrays of the engine, sampled
 * each epoch for log lines and reports, and each step by tests that prove a training path does not leak.
 *
 * <p>{@link io.djlprune.memory.NativeMemory} reads both numbers into a {@link io.djlprune.memory.MemorySample}, and
 * {@link io.djlprune.memory.LiveArrayRecorder} is the training listener that records the live-array count after
 * every batch. It is its own package, with no djl-prune dependency, because training, ChipNet and the tests all
 * report memory the same way, and the live-array count is the one leak signal that does not move with the allocator.
 */
package io.djlprune.memory;
