/**
 * Contains runnable examples of the library used from a DJL application instead of the command line:
 * {@link io.djlprune.examples.PruneWithListener} prunes a catalog model with ChipNet through {@code trainer.fit} and
 * one listener, which compacts the network and writes a verified TorchScript file when the trainer closes.
 *
 * <p>They are apart from {@link io.djlprune.cli} because they show the code a user would write against the public
 * API, without the tool's options, run folders and reports; a test runs each one so it keeps working.
 */
package io.djlprune.examples;
