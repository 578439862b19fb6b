package io.djlprune.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code prune} options a sweep passes on to its cells (a picocli mixin): each is passed only when given, so a
 * cell otherwise runs at {@code prune}'s default; ChipNet's own only to ChipNet cells. {@code prune} checks them
 * before the sweep starts.
 */
final class SweepCellOptions {

    @Option(
            names = "--lr",
            description = "Passed to every cell's prune: AdamW learning rate while pruning (default: prune's).")
    Float learningRate;


    @Option(
            names = "--finetune-lr",
            description = "Passed to every cell's prune: fine-tuning SGD learning rate (default: prune's).")
    Float finetuneLr;


    @Option(names = "--alpha", description = "Passed to every cell's prune: DeepHoyer weight α (default: prune's).")
    Float alpha;


    @Option(
            names = "--lambda",
            description = "Passed to every cell's prune: slimming / group-lasso λ (default: prune's).")
    Float lambda;


    @Option(
            names = "--order",
            description = "Passed to every cell's prune: the order the hard mask gives up channels (default: prune's).")
    String order;


    @Option(
            names = "--round-to",
            paramLabel = "N",
            description = "Passed to every cell's prune: keep multiples of N channels (default: prune's).")
    Integer roundTo;


    @Option(
            names = "--recipe",
            description = "Passed to every ChipNet cell: default or reference (default: prune's); reference cells"
                    + " also train at the reference's batch size, 32.")
    String recipe;


    @Option(names = "--beta-step", description = "Passed to every ChipNet cell: β's rise per epoch (default: prune's).")
    String betaStep;


    @Option(names = "--beta-cap", description = "Passed to every ChipNet cell: β's cap (default: prune's).")
    String betaCap;


    @Option(names = "--psi-spread", description = "Passed to every ChipNet cell: ψ's L1 start range (default: prune's).")
    String psiSpread;


    @Option(names = "--anneal", description = "Passed to every ChipNet cell: epoch or step (default: prune's).")
    String anneal;


    @Option(names = "--psi-init", description = "Passed to every ChipNet cell: uniform or l1 (default: prune's).")
    String psiInit;


    @Option(names = "--psi-lr", description = "Passed to every ChipNet cell: auto or a rate (default: prune's).")
    String psiLearningRate;


    @Option(names = "--budget-on", description = "Passed to every ChipNet cell: count, gate or root (default: prune's).")
    String budgetOn;


    @Option(names = "--crisp-weight", description = "Passed to every ChipNet cell: the crispness weight (default: prune's).")
    String crispWeight;


    @Option(names = "--kept-scale", description = "Passed to every ChipNet cell: one or soft (default: prune's).")
    String keptScale;


    @Option(names = "--hard-finish", description = "Passed to every ChipNet cell: a share in [0, 1) (default: prune's).")
    String hardFinish;

    /**
     * Adds the options that were given to a cell's {@code prune} command line.
     *
     * @param args the command line so far
     * @param chipnet whether the cell runs ChipNet (which also gets ChipNet's options)
     */
    void addTo(List<String> args, boolean chipnet) {
        addIfSet(args, "--lr", learningRate);
        addIfSet(args, "--finetune-lr", finetuneLr);
        addIfSet(args, "--alpha", alpha);
        addIfSet(args, "--lambda", lambda);
        addIfSet(args, "--order", order);
        addIfSet(args, "--round-to", roundTo);
        if (chipnet) {
            addIfSet(args, "--recipe", recipe);
            addIfSet(args, "--beta-step", betaStep);
            addIfSet(args, "--beta-cap", betaCap);
            addIfSet(args, "--psi-spread", psiSpread);
            addIfSet(args, "--anneal", anneal);
            addIfSet(args, "--psi-init", psiInit);
            addIfSet(args, "--psi-lr", psiLearningRate);
            addIfSet(args, "--budget-on", budgetOn);
            addIfSet(args, "--crisp-weight", crispWeight);
            addIfSet(args, "--kept-scale", keptScale);
            addIfSet(args, "--hard-finish", hardFinish);
        }
    }

    private static void addIfSet(List<String> args, String option, Object value) {
        if (value != null) {
            args.add(option);
            args.add(value.toString());
        }
    }
}
