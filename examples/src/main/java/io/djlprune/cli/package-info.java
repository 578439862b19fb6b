/**
 * Contains the {@code djl-prune} command-line tool, built with picocli: {@link io.djlprune.cli.DjlPrune} and its
 * commands {@code train}, {@code prune}, {@code sparsify}, {@code finetune}, {@code export}, {@code eval} and
 * {@code sweep}. Each command composes the library's packages for one step of the workflow; the options several
 * commands share are picocli mixins (data, optimiser, device, {@code --resume}), and every training phase writes
 * checkpoints beside its output so a killed run resumes ({@code RunCheckpoints}), and
 * {@code sweep} summarises a grid of runs as tables and plots.
 *
 * <p>It is the top of the dependency order: it uses every library package and nothing uses it. Everything but the
 * entry point and its version provider is package-private, because the tool is an application of the library, not an
 * API; a program that prunes from Java uses the library's packages directly, as {@link io.djlprune.examples} shows.
 */
package io.djlprune.cli;
