package io.djlprune.cli;

import io.djlprune.hoyer.MagnitudeThreshold;
import io.djlprune.hoyer.WeightCut;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code sparsify}'s options that choose which weights are zeroed, mapped onto the library's {@link WeightCut}. */
final class WeightCutOptions {

    /** The reference's absolute threshold on MNIST. */
    private static final float DEFAULT_THRESHOLD = 1e-3f;

    @Option(
            names = "--threshold",
            description = "Zero weights with |w| below this (default: 0.001, the reference's MNIST value).")
    Float threshold;

    @Option(
            names = "--threshold-std",
            paramLabel = "K",
            description = "Zero weights with |w| below K times their tensor's standard deviation, instead of --threshold.")
    Float thresholdStd;

    @Option(
            names = "--keep-weights",
            paramLabel = "N",
            description = "Keep at most N conv/linear weights: one global magnitude cut chosen after the regularised"
                    + " training, instead of --threshold.")
    Long keepWeights;

    @Option(
            names = "--keep-weights-by",
            paramLabel = "RANK",
            description = "How --keep-weights ranks weights: magnitude (|w|, one global cut) or std (|w| over the std of"
                    + " its tensor, so each layer is cut relative to its own scale; the reference's per-layer rule) (default:"
                    + " ${DEFAULT-VALUE}, which kept far more accuracy after Group-HS on LeNet-5).")
    String keepWeightsBy = "magnitude";

    /**
     * Checks the options; picocli cannot express the ranges and exclusions.
     *
     * @param spec the command, for usage errors
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if ((threshold != null ? 1 : 0) + (thresholdStd != null ? 1 : 0) + (keepWeights != null ? 1 : 0) > 1) {
            throw usage(spec, "Give one of --threshold, --threshold-std and --keep-weights, not several");
        }
        if (keepWeights != null && keepWeights < 1) {
            throw usage(spec, "--keep-weights must be ≥ 1, got " + keepWeights);
        }
        if (threshold != null && (!(threshold >= 0) || !Float.isFinite(threshold))) {
            throw usage(spec, "--threshold must be ≥ 0, got " + threshold);
        }
        if (thresholdStd != null && (!(thresholdStd >= 0) || !Float.isFinite(thresholdStd))) {
            throw usage(spec, "--threshold-std must be ≥ 0, got " + thresholdStd);
        }
        if (!keepWeightsBy.equals("magnitude") && !keepWeightsBy.equals("std")) {
            throw usage(spec, "Unknown --keep-weights-by '" + keepWeightsBy + "': use magnitude or std");
        }
        if (!keepWeightsBy.equals("magnitude") && keepWeights == null) {
            throw usage(spec, "--keep-weights-by ranks the weights --keep-weights keeps: give --keep-weights N too");
        }
    }

    /**
     * Maps the options onto the cut the user chose: a global count, a multiple of each tensor's std, or an absolute
     * magnitude.
     *
     * @return the cut
     */
    WeightCut cut() {
        if (keepWeights != null) {
            return keepWeightsBy.equals("std") ? WeightCut.keepingAtMostByStd(keepWeights) : WeightCut.keepingAtMost(keepWeights);
        }
        if (thresholdStd != null) {
            return WeightCut.below(MagnitudeThreshold.stdMultiple(thresholdStd));
        }
        return WeightCut.below(MagnitudeThreshold.absolute(threshold != null ? threshold : DEFAULT_THRESHOLD));
    }

    private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
