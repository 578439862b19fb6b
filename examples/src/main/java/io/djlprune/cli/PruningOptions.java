package io.djlprune.cli;

import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.method.PlanTransfer;
import io.djlprune.method.PruningMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.method.ScoringMethod;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code prune} that choose and configure the pruning method (a picocli mixin, with ChipNet's own in
 * {@link ChipNetOptions}), validated and mapped onto the library's {@link PruningMethod}, {@link PruningRecipe} and
 * channel order.
 */
final class PruningOptions {

    @Option(
            names = "--method",
            description = "chipnet, group-hs, hs, l1, slimming, group-lasso or random (default: ${DEFAULT-VALUE}).")
    String method = "chipnet";


    @Option(
            names = "--epochs",
            description = "Pruning epochs: ChipNet's, or the regularised training of group-hs, hs, slimming and"
                    + " group-lasso; l1 and random prune in one shot (default: ${DEFAULT-VALUE}).")
    int epochs = 20;


    @Option(names = "--alpha", description = "DeepHoyer regulariser weight α (default: ${DEFAULT-VALUE}).")
    float alpha = 1e-3f;


    @Option(
            names = "--lambda",
            description = "Weight λ of slimming's L1 on BN γ and of group lasso (default: ${DEFAULT-VALUE}).")
    float lambda = 1e-4f;


    @Option(
            names = "--threshold",
            description = "group-hs and hs: keep channels whose group norm is at least this, instead of meeting"
                    + " --budget exactly.")
    Float threshold;


    @Option(
            names = "--transfer-from",
            paramLabel = "PLAN",
            description = "Apply this plan's mask (same architecture, any dataset) instead of learning one; with its"
                    + " gate values ψ the mask is re-derived for --budget.")
    Path transferFrom;


    @Option(
            names = "--order",
            description = "Order in which the hard mask gives up channels: auto (share for ChipNet, global for the"
                    + " others), global (lowest score first), preferred (ChipNet: z > ½ kept first), share (ChipNet:"
                    + " each group keeps channels in proportion to its sum of soft gates), cost (lowest score per unit"
                    + " of budget saved), or volume (per activation volume saved: latency falls closer to FLOPs)"
                    + " (default: ${DEFAULT-VALUE}).")
    String order = "auto";


    @Option(
            names = "--round-to",
            paramLabel = "N",
            description = "Keep a multiple of N channels in every group wider than N (the budget still holds): CPU"
                    + " kernels work in blocks of the vector width, so use 16 with AVX-512, 8 with AVX2 (default:"
                    + " ${DEFAULT-VALUE}, no rounding).")
    int roundTo = 1;


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
     * Checks the values; picocli cannot express the ranges.
     *
     * @param spec the command, for usage errors
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if (epochs < 1) {
            throw usage(spec, "--epochs must be ≥ 1, got " + epochs);
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw usage(spec, "--alpha must be ≥ 0, got " + alpha);
        }
        if (!(lambda >= 0) || !Float.isFinite(lambda)) {
            throw usage(spec, "--lambda must be ≥ 0, got " + lambda);
        }
        if (threshold != null && (!(threshold >= 0) || !Float.isFinite(threshold))) {
            throw usage(spec, "--threshold must be ≥ 0, got " + threshold);
        }
        if (roundTo < 1) {
            throw usage(spec, "--round-to must be ≥ 1 channel (1: no rounding), got " + roundTo);
        }
        chipnet.check(spec);
        if (!(learningRate > 0) || (weightDecay != null && !(weightDecay >= 0))) {
            throw usage(spec, "--lr must be > 0 and --weight-decay ≥ 0");
        }
        choice(spec);
    }

    MethodChoice choice(CommandSpec spec) {
        try {
            MethodChoice parsed = MethodChoice.parse(method);
            if (threshold != null && parsed != MethodChoice.GROUP_HS && parsed != MethodChoice.HS) {
                throw usage(spec, "--threshold applies to group-hs and hs only");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw usage(spec, e.getMessage());
        }
    }

    /**
     * Maps the options onto the library's method: a transfer when --transfer-from is given, else ChipNet with its
     * recipe and overrides, else the scoring method.
     *
     * @param spec the command, for usage errors
     * @return the method
     * @throws IOException if the transferred plan cannot be read
     */
    PruningMethod method(CommandSpec spec) throws IOException {
        if (transferFrom != null) {
            return new PlanTransfer(MaskPlanJson.load(transferFrom), transferFrom.toString());
        }
        MethodChoice choice = choice(spec);
        if (choice != MethodChoice.CHIPNET) {
            ScoringMethod scoring = choice.scoring(alpha, lambda);
            return threshold == null ? scoring : scoring.withThreshold(threshold);
        }
        return chipnet.method();
    }

    /**
     * The recipe of the method's training phase.
     *
     * @return epochs, learning rate and --weight-decay (null: each method's reference value)
     */
    PruningRecipe recipe() {
        return new PruningRecipe(epochs, learningRate, weightDecay);
    }

    /**
     * The --order given, checked against the method.
     *
     * @param spec the command, for usage errors
     * @return the order, or null for auto (the method's own order)
     */
    ChannelOrder order(CommandSpec spec) {
        if (order.equals("auto")) {
            return null;
        }
        ChannelOrder parsed;
        try {
            parsed = ChannelOrder.parse(order);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--order: " + e.getMessage());
        }
        if (parsed == ChannelOrder.SOFT_SHARE && choice(spec) != MethodChoice.CHIPNET) {
            throw usage(spec, "--order share allocates channels by ChipNet's soft gates; method " + method
                    + " has none: use global, cost or volume");
        }
        return parsed;
    }

    private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
