package io.djlprune.cli;

import io.djlprune.chipnet.ChipNetPreset;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.method.PruningMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.method.ScoringMethod;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options that configure the pruning methods, shared by {@code prune} and {@code sweep} (a picocli mixin, with
 * ChipNet's own in {@link ChipNetOptions}), validated and mapped onto the library's {@link PruningMethod}, {@link
 * PruningRecipe} and channel order. Which method runs is {@code prune}'s {@link MethodOptions} or the sweep's list.
 */
final class PruningOptions {

    @Option(
            names = "--epochs",
            description = "Pruning epochs: ChipNet's, or the regularised training of group-hs, hs, slimming and"
                    + " group-lasso; l1 and random prune in one shot (default: 20 for prune, 3 for each sweep cell).")
    Integer epochs;


    @Option(names = "--alpha", description = "DeepHoyer regulariser weight α (default: ${DEFAULT-VALUE}).")
    float alpha = 1e-3f;


    @Option(
            names = "--lambda",
            description = "Weight λ of slimming's L1 on BN γ and of group lasso (default: ${DEFAULT-VALUE}).")
    float lambda = 1e-4f;


    @Option(
            names = "--order",
            description = "Order in which the hard mask gives up channels: auto (share for ChipNet, global for the"
                    + " others), global (lowest score first), preferred (ChipNet: z > ½ kept first), share (ChipNet:"
                    + " each group keeps channels in proportion to its sum of soft gates), cost (lowest score per unit"
                    + " of budget saved), or volume (per activation volume saved: latency falls closer to FLOPs)"
                    + " (default: ${DEFAULT-VALUE}).",
            converter = OptionConverters.Order.class,
            defaultValue = OptionConverters.AUTO)
    ChannelOrder order;


    @Option(
            names = "--round-to",
            paramLabel = "N",
            description = "Keep a multiple of N channels in every group wider than N (the budget still holds): CPU"
                    + " kernels work in blocks of the vector width, so use 16 with AVX-512, 8 with AVX2 (default:"
                    + " 1, no rounding; " + LATENCY_ROUND_TO + " with a latency budget).")
    int roundTo = 1;

    /**
     * The rounding step of a latency budget unless --round-to is given: the latency table is sampled at multiples of
     * it, and measured on this machine's SSE4.1 kernels a width between samples ran several times slower than the
     * interpolation predicted (docs/LATENCY.md).
     */
    static final int LATENCY_ROUND_TO = 8;


    @Option(names = "--lr", description = "AdamW learning rate of weights and ψ while pruning (default: ${DEFAULT-VALUE}).")
    float learningRate = 1e-3f;


    @Option(
            names = "--weight-decay",
            description = "Weight decay of the weights while pruning (ChipNet) or during the regularised training"
                    + " (group-hs, hs, slimming, group-lasso); ψ gets none (default: each method's reference, 1e-3 for"
                    + " chipnet, 1e-4 for the others).")
    Float weightDecay;

    @Mixin ChipNetOptions chipnet;

    /**
     * Sets every ChipNet option the command line did not give to the chosen recipe's value (the fields' own defaults
     * are the default recipe's).
     *
     * @param spec the command, for what was given
     */
    void applyRecipe(CommandSpec spec) {
        chipnet.applyRecipe(spec, learningRate);
    }

    /**
     * The batch size of a method's run: a ChipNet run at another recipe trains at that recipe's batch size unless
     * --batch-size was given.
     *
     * @param choice the method
     * @param spec the command, for what was given
     * @param given the --batch-size value
     * @return the batch size
     */
    int batchSize(MethodChoice choice, CommandSpec spec, int given) {
        return fromRecipe(choice, spec, "--batch-size") ? chipnet.recipe.batchSize() : given;
    }

    /**
     * The rounding step for a budget: --round-to, or {@link #LATENCY_ROUND_TO} for a latency budget unless given.
     *
     * @param budget the run's budget
     * @param spec the command, for what was given
     * @return the step
     */
    int roundTo(Budget budget, CommandSpec spec) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        boolean explicit = given != null && given.hasMatchedOption("--round-to");
        return budget.kind() == BudgetKind.LATENCY && !explicit ? LATENCY_ROUND_TO : roundTo;
    }

    /** Whether an option of a ChipNet run comes from a recipe other than the default one, not the command line. */
    private boolean fromRecipe(MethodChoice choice, CommandSpec spec, String option) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        return choice == MethodChoice.CHIPNET
                && chipnet.recipe != ChipNetPreset.DEFAULT
                && given != null
                && !given.hasMatchedOption(option);
    }

    /**
     * Checks the values; picocli cannot express the ranges.
     *
     * @param spec the command, for usage errors
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if (epochs != null && epochs < 1) {
            throw usage(spec, "--epochs must be ≥ 1, got " + epochs);
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw usage(spec, "--alpha must be ≥ 0, got " + alpha);
        }
        if (!(lambda >= 0) || !Float.isFinite(lambda)) {
            throw usage(spec, "--lambda must be ≥ 0, got " + lambda);
        }
        if (roundTo < 1) {
            throw usage(spec, "--round-to must be ≥ 1 channel (1: no rounding), got " + roundTo);
        }
        chipnet.check(spec);
        if (!(learningRate > 0) || (weightDecay != null && !(weightDecay >= 0))) {
            throw usage(spec, "--lr must be > 0 and --weight-decay ≥ 0");
        }
    }

    /**
     * Maps the options onto the library's method: ChipNet with its recipe and overrides, or the scoring method.
     *
     * @param choice the method
     * @param threshold group-hs and hs: the group-norm threshold instead of the budget, or null
     * @return the method
     */
    PruningMethod method(MethodChoice choice, Float threshold) {
        if (choice == MethodChoice.CHIPNET) {
            return chipnet.method();
        }
        ScoringMethod scoring = choice.scoring(alpha, lambda);
        return threshold == null ? scoring : scoring.withThreshold(threshold);
    }

    /**
     * The recipe of the method's training phase.
     *
     * @param defaultEpochs the epochs when --epochs is not given
     * @return epochs, learning rate and --weight-decay (null: each method's reference value)
     */
    PruningRecipe recipe(int defaultEpochs) {
        return new PruningRecipe(epochs != null ? epochs : defaultEpochs, learningRate, weightDecay);
    }

    /**
     * The --order given (a ChipNet run at another recipe: that recipe's unless given), checked against the method.
     *
     * @param choice the method
     * @param spec the command, for usage errors
     * @return the order, or null for auto (the method's own order)
     * @throws CommandLine.ParameterException if the order needs gates the method does not have
     */
    ChannelOrder order(MethodChoice choice, CommandSpec spec) {
        if (fromRecipe(choice, spec, "--order")) {
            return chipnet.recipe.order();
        }
        if (order == ChannelOrder.SOFT_SHARE && choice != MethodChoice.CHIPNET) {
            throw usage(spec, "--order share allocates channels by ChipNet's soft gates; method " + choice
                    + " has none: use global, cost or volume");
        }
        return order;
    }

    private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
