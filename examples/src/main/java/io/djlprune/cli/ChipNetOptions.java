package io.djlprune.cli;

import io.djlprune.chipnet.BudgetCount;
import io.djlprune.chipnet.ChipNetPreset;
import io.djlprune.cli.OptionConverters.BatchNormStatistics;
import io.djlprune.cli.OptionConverters.GateSampling;
import io.djlprune.cli.OptionConverters.KeptScale;
import io.djlprune.cli.OptionConverters.PsiInit;
import io.djlprune.method.ChipNetMethod;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * ChipNet's options of {@code prune} (a picocli mixin): the recipe and each setting it fixes, validated and mapped
 * onto the library's {@link ChipNetMethod}. The fields' defaults are the default recipe's; {@link #applyRecipe} sets
 * the ones the command line did not give to another recipe's.
 */
final class ChipNetOptions {

    @Option(
            names = "--recipe",
            converter = OptionConverters.Recipe.class,
            description = "ChipNet's settings as a set: default (this library's, chosen by measurement: docs/CHIPNET.md)"
                    + " or reference (the published code: --budget-on count --budget-weight 30 --crisp-weight 10 --gate-sampling none --kept-scale one --order global --psi-lr"
                    + " = --lr --hard-finish 0 --batch-size 32 --beta-step 0.02 --beta-cap 6 --psi-init uniform);"
                    + " options given explicitly override the set (default: ${DEFAULT-VALUE}).")
    ChipNetPreset recipe = ChipNetPreset.DEFAULT;


    @Option(
            names = "--anneal",
            converter = OptionConverters.Anneal.class,
            defaultValue = "epoch",
            description = "epoch: γ ×√2 per epoch as the reference (crisp after ~15 epochs); step: γ rises per step to"
                    + " 256 by the end of the run, so short runs end with crisp gates (default: ${DEFAULT-VALUE}).")
    ChipNetMethod.Annealing anneal;


    @Option(
            names = "--beta-step",
            description = "ChipNet: β rises by this much per epoch (default: ${DEFAULT-VALUE}; the reference: 0.02); β is the"
                    + " logistic's slope, and only a large β makes the gates of one layer split into open and closed"
                    + " when their ψ move in lock-step (docs/CHIPNET.md).")
    double betaStep = ChipNetPreset.DEFAULT.betaStep();


    @Option(names = "--beta-cap", description = "ChipNet: the largest β (default: ${DEFAULT-VALUE}; the reference: 6).")
    double betaCap = ChipNetPreset.DEFAULT.betaCap();


    @Option(
            names = "--budget-on",
            converter = OptionConverters.Count.class,
            description = "count: the budget counts s(z), the soft count of gates above ½ (the reference); gate: it"
                    + " counts the gate values z, pushing dropped channels to 0; root: it counts √z, so a part-open"
                    + " gate costs more than the signal it passes (default: ${DEFAULT-VALUE}).")
    BudgetCount budgetOn = ChipNetPreset.DEFAULT.budgetCount();


    @Option(
            names = "--crisp-weight",
            description = "ChipNet: weight of the crispness term mean (z − z̃)², which pushes part-open gates shut or"
                    + " open so the hard mask is the soft network (default: ${DEFAULT-VALUE}; the reference: 10).")
    float crispWeight = ChipNetPreset.DEFAULT.crispnessWeight();


    @Option(
            names = "--kept-scale",
            converter = OptionConverters.Scale.class,
            description = "ChipNet: soft: the kept channels of the hard mask keep the soft gate value z they were trained"
                    + " with, folded into the weights before compaction, so the hard network is the soft one minus the"
                    + " removed channels; one: they pass at 1 (the reference) (default: ${DEFAULT-VALUE}).")
    KeptScale keptScale = keptScale(ChipNetPreset.DEFAULT);


    @Option(
            names = "--budget-weight",
            description = "ChipNet: weight of the budget term (V − V₀)² (default: ${DEFAULT-VALUE}; the reference: 30).")
    float budgetWeight = ChipNetPreset.DEFAULT.budgetWeight();


    @Option(
            names = "--bn-statistics",
            converter = OptionConverters.BatchNormStatisticsConverter.class,
            description = "ChipNet: batch: the BatchNorms before the gates normalise by each batch while pruning (the"
                    + " reference); frozen: by the running statistics of the network as pruning began, so a nearly"
                    + " shut gate cannot be scaled back up by the next BatchNorm (default: ${DEFAULT-VALUE}).")
    BatchNormStatistics bnStatistics = BatchNormStatistics.BATCH;

    @Option(
            names = "--gate-sampling",
            converter = OptionConverters.GateSamplingConverter.class,
            description = "ChipNet: none: soft gates scale each channel by z while pruning (the reference); bernoulli:"
                    + " each training step keeps a channel whole with probability z and removes it otherwise, so the"
                    + " network cannot lean on nearly shut channels (default: ${DEFAULT-VALUE}).")
    GateSampling gateSampling = gateSampling(ChipNetPreset.DEFAULT);


    @Option(
            names = "--mask-pull",
            description = "ChipNet: weight of the mask pull, the soft cost of the channels that the hard mask at the"
                    + " budget (chosen again after every step) removes, which pushes them shut so the hard network is"
                    + " the soft one (0: off, the reference) (default: ${DEFAULT-VALUE}).")
    float maskPull;


    @Option(
            names = "--hard-finish",
            description = "Share of ChipNet's pruning steps, at the end, that train the weights under the fixed hard mask"
                    + " (0: soft gates to the end, the reference) (default: ${DEFAULT-VALUE}).")
    double hardFinish = ChipNetPreset.DEFAULT.hardFinish();


    @Option(
            names = "--psi-lr",
            description = "AdamW learning rate of the gates ψ: a number, or auto: --lr × 28125 / pruning steps, at least"
                    + " --lr, so ψ travels as far as in the reference's 20 CIFAR-10 epochs; give --lr's value for the"
                    + " reference (default: ${DEFAULT-VALUE}).")
    String psiLearningRate = "auto";


    @Option(
            names = "--psi-init",
            converter = OptionConverters.PsiStart.class,
            description = "ChipNet's starting gates: uniform in [0, 0.01) (the reference), or l1: spread by the rank of"
                    + " each channel's L1 filter norm within its group, so short runs keep a meaningful channel order"
                    + " (default: ${DEFAULT-VALUE}).")
    PsiInit psiInit = psiInit(ChipNetPreset.DEFAULT);


    @Option(
            names = "--psi-spread",
            description = "ChipNet with --psi-init l1: the range of ψ within a group, lowest L1 norm at the bottom"
                    + " (default: ${DEFAULT-VALUE}; under lock-step a spread wider than the gate's transition keeps"
                    + " the group's gates apart, docs/CHIPNET.md).")
    float psiSpread = ChipNetPreset.DEFAULT.psiSpread();

    /**
     * Sets every option the command line did not give to the chosen recipe's value.
     *
     * @param spec the command, for what was given
     * @param learningRate the weights' learning rate (the reference's ψ rate)
     * @return the recipe
     */
    ChipNetPreset applyRecipe(CommandSpec spec, float learningRate) {
        ChipNetPreset preset = recipe;
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (given == null || preset == ChipNetPreset.DEFAULT) {
            return preset;
        }
        if (!given.hasMatchedOption("--budget-on")) {
            budgetOn = preset.budgetCount();
        }
        if (!given.hasMatchedOption("--budget-weight")) {
            budgetWeight = preset.budgetWeight();
        }
        if (!given.hasMatchedOption("--crisp-weight")) {
            crispWeight = preset.crispnessWeight();
        }
        if (!given.hasMatchedOption("--gate-sampling")) {
            gateSampling = gateSampling(preset);
        }
        if (!given.hasMatchedOption("--kept-scale")) {
            keptScale = keptScale(preset);
        }
        if (!given.hasMatchedOption("--hard-finish")) {
            hardFinish = preset.hardFinish();
        }
        if (!given.hasMatchedOption("--psi-lr")) {
            psiLearningRate = preset.psiRateForSteps() ? "auto" : Float.toString(learningRate);
        }
        if (!given.hasMatchedOption("--beta-step")) {
            betaStep = preset.betaStep();
        }
        if (!given.hasMatchedOption("--beta-cap")) {
            betaCap = preset.betaCap();
        }
        if (!given.hasMatchedOption("--psi-init")) {
            psiInit = psiInit(preset);
        }
        if (!given.hasMatchedOption("--psi-spread")) {
            psiSpread = preset.psiSpread();
        }
        return preset;
    }

    /**
     * Checks the values; picocli cannot express the ranges.
     *
     * @param spec the command, for the usage error
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if (!(crispWeight >= 0) || !Float.isFinite(crispWeight)) {
            throw usage(spec, "--crisp-weight must be a finite number ≥ 0, got " + crispWeight);
        }
        if (!(budgetWeight >= 0) || !Float.isFinite(budgetWeight)) {
            throw usage(spec, "--budget-weight must be a finite number ≥ 0, got " + budgetWeight);
        }
        if (!(maskPull >= 0) || !Float.isFinite(maskPull)) {
            throw usage(spec, "--mask-pull must be a finite number ≥ 0, got " + maskPull);
        }
        if (!(betaStep >= 0) || !Double.isFinite(betaStep) || !(betaCap >= 1) || !Double.isFinite(betaCap)) {
            throw usage(spec, "--beta-step must be ≥ 0 and --beta-cap ≥ 1, got " + betaStep + " and " + betaCap);
        }
        if (!(hardFinish >= 0 && hardFinish < 1)) {
            throw usage(spec, "--hard-finish is a share of the pruning steps in [0, 1), got " + hardFinish);
        }
        if (!(psiSpread > 0) || !Float.isFinite(psiSpread)) {
            throw usage(spec, "--psi-spread must be a positive number, got " + psiSpread);
        }
        if (!validPsiRate(psiLearningRate)) {
            throw usage(spec, "--psi-lr must be > 0 or auto, got " + psiLearningRate);
        }
    }

    /**
     * Maps the options onto the library's method.
     *
     * @return the method
     */
    ChipNetMethod method() {
        ChipNetMethod.Builder builder =
                ChipNetMethod.builder(recipe)
                        .optBudgetCount(budgetOn)
                        .optCrispnessWeight(crispWeight)
                        .optBudgetWeight(budgetWeight)
                        .optKeepSoftScale(keptScale == KeptScale.SOFT)
                        .optHardFinish(hardFinish)
                        .optFrozenStatistics(bnStatistics == BatchNormStatistics.FROZEN)
                        .optSampledGates(gateSampling == GateSampling.BERNOULLI)
                        .optMaskPullWeight(maskPull)
                        .optPsiStart(psiInit == PsiInit.L1, psiSpread)
                        .optBeta(betaStep, betaCap)
                        .optAnnealing(anneal);
        if (psiLearningRate.equals("auto")) {
            builder.optPsiRateForSteps(true);
        } else {
            builder.optPsiLearningRate(Float.parseFloat(psiLearningRate));
        }
        return builder.build();
    }

    private static KeptScale keptScale(ChipNetPreset preset) {
        return preset.keepSoftScale() ? KeptScale.SOFT : KeptScale.ONE;
    }

    private static GateSampling gateSampling(ChipNetPreset preset) {
        return preset.sampledGates() ? GateSampling.BERNOULLI : GateSampling.NONE;
    }

    private static PsiInit psiInit(ChipNetPreset preset) {
        return preset.psiFromL1() ? PsiInit.L1 : PsiInit.UNIFORM;
    }

    /** Whether a --psi-lr value is auto or a positive, finite rate. */
    private static boolean validPsiRate(String value) {
        if (value.equals("auto")) {
            return true;
        }
        try {
            float rate = Float.parseFloat(value);
            return rate > 0 && Float.isFinite(rate);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
