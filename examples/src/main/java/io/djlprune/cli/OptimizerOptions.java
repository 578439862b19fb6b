package io.djlprune.cli;

import io.djlprune.training.OptimizerRecipe;
import picocli.CommandLine.Option;

/** Optimiser options: Adam or SGD with momentum, learning rate with a cosine decay over the run, weight decay. */
final class OptimizerOptions {

    /** The optimisers the CLI offers. */
    enum Kind {
        adam,
        sgd
    }

    @Option(names = "--optimizer", description = "adam or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
    Kind kind = Kind.adam;

    @Option(names = "--lr", description = "Initial learning rate, decayed to 0 by a cosine (default: ${DEFAULT-VALUE}).")
    float learningRate = 1e-3f;

    @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay = 0f;

    /**
     * Checks the values; picocli cannot express the ranges.
     *
     * @return an error message, or null when valid
     */
    String validate() {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            return "--lr must be a positive number, got " + learningRate;
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            return "--weight-decay must be ≥ 0, got " + weightDecay;
        }
        return null;
    }

    /**
     * Maps the options onto the library's optimiser recipe.
     *
     * @return the recipe
     */
    OptimizerRecipe recipe() {
        return OptimizerRecipe.builder()
                .optKind(kind == Kind.sgd ? OptimizerRecipe.Kind.SGD : OptimizerRecipe.Kind.ADAM)
                .optLearningRate(learningRate)
                .optWeightDecay(weightDecay)
                .build();
    }

    @Override
    public String toString() {
        return kind + " lr " + learningRate + " (cosine) wd " + weightDecay;
    }
}
