package io.djlprune.cli;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.training.ResumableAdam;
import io.djlprune.training.ResumableSgd;
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
     * Builds the optimiser for a run of {@code totalSteps} updates.
     *
     * @param totalSteps the number of optimiser steps the run makes, for the cosine schedule
     * @return the optimiser
     */
    Optimizer build(int totalSteps) {
        Tracker schedule =
                Tracker.cosine()
                        .setBaseValue(learningRate)
                        .optFinalValue(0f)
                        .setMaxUpdates(Math.max(1, totalSteps))
                        .build();
        // DJL's SGD and Adam updates, with state a checkpoint can save
        if (kind == Kind.sgd) {
            return ResumableSgd.builder()
                    .setLearningRateTracker(schedule)
                    .optMomentum(0.9f)
                    .optWeightDecays(weightDecay)
                    .build();
        }
        return ResumableAdam.builder()
                .optLearningRateTracker(schedule)
                .optWeightDecays(weightDecay)
                .optDecoupledWeightDecay(false)
                .build();
    }

    @Override
    public String toString() {
        return kind + " lr " + learningRate + " (cosine) wd " + weightDecay;
    }
}
