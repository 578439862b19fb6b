package io.djlprune.cli;

import io.djlprune.mask.MaskPlanJson;
import io.djlprune.method.PlanTransfer;
import io.djlprune.method.PruningMethod;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code prune} that choose its one method (a picocli mixin): a learned or scored method, with a
 * DeepHoyer threshold instead of the budget, or a plan learned elsewhere. A sweep chooses its methods as a list instead.
 */
final class MethodOptions {

    @Option(
            names = "--method",
            converter = OptionConverters.Method.class,
            defaultValue = "chipnet",
            description = "chipnet, group-hs, hs, l1, slimming, group-lasso or random (default: ${DEFAULT-VALUE}).")
    MethodChoice method;

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

    /**
     * Checks the values against each other.
     *
     * @param spec the command, for usage errors
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if (threshold != null && (!(threshold >= 0) || !Float.isFinite(threshold))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be ≥ 0, got " + threshold);
        }
        if (threshold != null && method != MethodChoice.GROUP_HS && method != MethodChoice.HS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threshold applies to group-hs and hs only");
        }
    }

    /**
     * Maps the options onto the library's method: a transfer when --transfer-from is given, else the chosen method
     * configured by the shared pruning options.
     *
     * @param pruning the shared pruning options
     * @return the method
     * @throws IOException if the transferred plan cannot be read
     */
    PruningMethod method(PruningOptions pruning) throws IOException {
        if (transferFrom != null) {
            return new PlanTransfer(MaskPlanJson.load(transferFrom), transferFrom.toString());
        }
        return pruning.method(method, threshold);
    }
}
