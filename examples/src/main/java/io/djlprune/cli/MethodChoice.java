package io.djlprune.cli;

import io.djlprune.method.ScoringMethod;
import java.util.Locale;

/**
 * The values of {@code djl-prune prune --method}, each naming a {@link io.djlprune.method.PruningMethod} of the
 * library: ChipNet learns gates; the others score channels (after a sparsity-regularised training phase where the
 * method has one).
 */
enum MethodChoice {
    /** ChipNet: learned gates with a budget term. */
    CHIPNET("chipnet"),
    /** Structured DeepHoyer: Group-HS on filters and channels, then channels ranked by group norm. */
    GROUP_HS("group-hs"),
    /** Element-wise DeepHoyer: HS on every weight, then channels ranked by group norm of the sparse weights. */
    HS("hs"),
    /** L1-norm filters (Li et al. 2017), one shot on the pretrained weights. */
    L1("l1"),
    /** Network Slimming (Liu et al. 2017): L1 on BatchNorm γ while training, channels ranked by |γ|. */
    SLIMMING("slimming"),
    /** Group lasso / SSL (Wen et al. 2016): Σ‖w_g‖₂ while training, channels ranked by group norm. */
    GROUP_LASSO("group-lasso"),
    /** Random channels at the same budget: the sanity floor. */
    RANDOM("random");

    private final String key;

    MethodChoice(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    /** The command-line name, so option help and messages show what a user types. */
    @Override
    public String toString() {
        return key;
    }

    static MethodChoice parse(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        for (MethodChoice method : values()) {
            if (method.key.equals(value)) {
                return method;
            }
        }
        throw new IllegalArgumentException(
                "Unknown method '" + text + "': use chipnet, group-hs, hs, l1, slimming, group-lasso or random");
    }

    /**
     * Returns the library's scoring method for every choice but ChipNet.
     *
     * @param alpha the DeepHoyer weight α
     * @param lambda the slimming / group-lasso weight λ
     * @return the method
     */
    ScoringMethod scoring(float alpha, float lambda) {
        switch (this) {
            case GROUP_HS:
                return ScoringMethod.groupHs(alpha);
            case HS:
                return ScoringMethod.hs(alpha);
            case L1:
                return ScoringMethod.l1();
            case SLIMMING:
                return ScoringMethod.slimming(lambda);
            case GROUP_LASSO:
                return ScoringMethod.groupLasso(lambda);
            case RANDOM:
                return ScoringMethod.random();
            default:
                throw new IllegalStateException(key + " learns gates; it does not score channels");
        }
    }
}
