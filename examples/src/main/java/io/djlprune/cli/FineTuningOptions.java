package io.djlprune.cli;

import io.djlprune.pipeline.FineTuning;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The fine-tuning of a compacted model after pruning (a picocli mixin shared by {@code prune} and {@code sweep}),
 * mapped onto the library's {@link FineTuning}.
 */
final class FineTuningOptions {

    @Option(
            names = "--finetune-epochs",
            description = "Epochs of fine-tuning the compacted model before export (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(
            names = "--finetune-lr",
            description = "Initial SGD learning rate of fine-tuning, cosine-decayed (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.01f;

    /**
     * Checks the values and maps them onto the library.
     *
     * @param spec the command, for usage errors
     * @return the fine-tuning
     * @throws CommandLine.ParameterException naming the bad option
     */
    FineTuning fineTuning(CommandSpec spec) {
        if (epochs < 0 || !(learningRate > 0)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--finetune-epochs must be ≥ 0 and --finetune-lr > 0");
        }
        return new FineTuning(epochs, learningRate);
    }
}
