/**
 * Native memory made visible: the resident size of the process and the live native arrays of the engine, sampled
 * each epoch for log lines and reports, and each step by tests that prove a training path does not leak.
 */
package io.djlprune.memory;
