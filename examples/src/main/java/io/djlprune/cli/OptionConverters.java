package io.djlprune.cli;

import io.djlprune.chipnet.BudgetCount;
import io.djlprune.chipnet.ChipNetPreset;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.method.ChipNetMethod;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters of the options whose value names a choice: each value becomes its enum when the command line is
 * parsed, and an unknown one is a usage error naming the choices, so no command compares option strings.
 */
final class OptionConverters {

    private OptionConverters() {}

    /** A converter by a parse function that throws {@link IllegalArgumentException} naming the choices. */
    private abstract static class ByParser<T> implements ITypeConverter<T> {
        private final Function<String, T> parser;

        ByParser(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --method}, {@code --methods}: a {@link MethodChoice} by its key. */
    static final class Method extends ByParser<MethodChoice> {
        Method() {
            super(MethodChoice::parse);
        }
    }

    /** {@code --order}: a {@link ChannelOrder} by its key, or {@code auto} (null: the method's own order). */
    static final class Order extends ByParser<ChannelOrder> {
        Order() {
            super(text -> text.equalsIgnoreCase(AUTO) ? null : ChannelOrder.parse(text));
        }
    }

    /** The {@code --order} value that leaves the order to the method. */
    static final String AUTO = "auto";

    /** {@code --budget-on}: a {@link BudgetCount} by its key. */
    static final class Count extends ByParser<BudgetCount> {
        Count() {
            super(BudgetCount::parse);
        }
    }

    /** {@code --recipe}: a {@link ChipNetPreset} by its key. */
    static final class Recipe extends ByParser<ChipNetPreset> {
        Recipe() {
            super(ChipNetPreset::parse);
        }
    }

    /** {@code --anneal}: epoch or step. */
    static final class Anneal extends ByParser<ChipNetMethod.Annealing> {
        Anneal() {
            super(text -> byName(ChipNetMethod.Annealing.class, "--anneal", text));
        }
    }

    /** {@code --kept-scale}: one or soft. */
    static final class Scale extends ByParser<KeptScale> {
        Scale() {
            super(text -> byName(KeptScale.class, "--kept-scale", text));
        }
    }

    /** {@code --gate-sampling}: none or bernoulli. */
    static final class GateSamplingConverter extends ByParser<GateSampling> {
        GateSamplingConverter() {
            super(text -> byName(GateSampling.class, "--gate-sampling", text));
        }
    }

    /** {@code --bn-statistics}: batch or frozen. */
    static final class BatchNormStatisticsConverter extends ByParser<BatchNormStatistics> {
        BatchNormStatisticsConverter() {
            super(text -> byName(BatchNormStatistics.class, "--bn-statistics", text));
        }
    }

    /** {@code --psi-init}: uniform or l1. */
    static final class PsiStart extends ByParser<PsiInit> {
        PsiStart() {
            super(text -> byName(PsiInit.class, "--psi-init", text));
        }
    }

    /** {@code sparsify --regularizer}: hs or group-hs. */
    static final class Regularizer extends ByParser<HoyerChoice> {
        Regularizer() {
            super(text -> byName(HoyerChoice.class, "--regularizer", text));
        }
    }

    /** {@code export --format}, {@code prune --export}: torchscript or onnx. */
    static final class Format extends ByParser<ExportFormat> {
        Format() {
            super(text -> byName(ExportFormat.class, "export format", text));
        }
    }

    /** {@code --dataset}: fashion-mnist or imagefolder. */
    static final class Dataset extends ByParser<DatasetChoice> {
        Dataset() {
            super(text -> byName(DatasetChoice.class, "--dataset", text));
        }
    }

    /** {@code --mean}, {@code --std}: three comma-separated numbers (R, G, B). */
    static final class Triple extends ByParser<List<Float>> {
        Triple() {
            super(OptionConverters::triple);
        }
    }

    private static List<Float> triple(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected 3 comma-separated numbers (R,G,B), got '" + text + "'");
        }
        List<Float> values = new java.util.ArrayList<>();
        for (String part : parts) {
            float value;
            try {
                value = Float.parseFloat(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "' in '" + text + "' is not a number");
            }
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("'" + part.trim() + "' in '" + text + "' is not finite");
            }
            values.add(value);
        }
        return List.copyOf(values);
    }

    /** ChipNet's {@code --kept-scale}: what the kept channels of the hard mask pass. */
    enum KeptScale {
        /** Their soft gate value z, folded into the weights before compaction. */
        SOFT,
        /** 1, as the reference. */
        ONE;

        @Override
        public String toString() {
            return key(this);
        }
    }

    /** ChipNet's {@code --gate-sampling}: how soft gates act on their channels while training. */
    enum GateSampling {
        /** Scale each channel by z, as the reference. */
        NONE,
        /** Keep each channel whole with probability z, remove it otherwise. */
        BERNOULLI;

        @Override
        public String toString() {
            return key(this);
        }
    }

    /** ChipNet's {@code --bn-statistics}: what the BatchNorms before the gates normalise by while pruning. */
    enum BatchNormStatistics {
        /** Each batch's statistics, as the reference. */
        BATCH,
        /** The running statistics of the network as pruning began. */
        FROZEN;

        @Override
        public String toString() {
            return key(this);
        }
    }

    /** ChipNet's {@code --psi-init}: where the gates start. */
    enum PsiInit {
        /** Uniform in [0, 0.01), as the reference. */
        UNIFORM,
        /** Spread by the rank of each channel's L1 filter norm within its group. */
        L1;

        @Override
        public String toString() {
            return key(this);
        }
    }

    /** {@code sparsify --regularizer}: element-wise or group DeepHoyer. */
    enum HoyerChoice {
        /** Hoyer-Square on every weight. */
        HS,
        /** Group Hoyer-Square on filters and channels. */
        GROUP_HS;

        @Override
        public String toString() {
            return key(this);
        }
    }

    /** The command-line spelling of a constant: lower case, '-' for '_'. */
    static String key(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> E byName(Class<E> type, String option, String text) {
        for (E constant : type.getEnumConstants()) {
            if (key(constant).equals(text.toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        StringBuilder choices = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            choices.append(choices.length() == 0 ? "" : " or ").append(key(constant));
        }
        throw new IllegalArgumentException("Unknown " + option + " '" + text + "': use " + choices);
    }
}
