package io.djlprune.ops;

/**
 * An element-wise activation.
 *
 * @param kind which function
 * @param alpha the slope of leaky ReLU or the α of ELU; 0 for the others
 */
public record ActivationOp(Kind kind, float alpha) implements Op {

    /** The activations djl-prune recognises. */
    public enum Kind {
        /** max(x, 0). */
        RELU,
        /** min(max(x, 0), 6). */
        RELU6,
        /** max(x, 0) + alpha·min(x, 0). */
        LEAKY_RELU,
        /** x for x &gt; 0, alpha·(eˣ − 1) otherwise. */
        ELU,
        /** 1 / (1 + e⁻ˣ). */
        SIGMOID,
        /** tanh x. */
        TANH,
        /** ln(1 + eˣ). */
        SOFTPLUS,
        /** x·σ(x), also called SiLU. */
        SWISH,
        /** x·tanh(softplus(x)). */
        MISH,
        /** The Gaussian error linear unit, exact (erf) form. */
        GELU
    }

    /**
     * Returns f(0): what a channel that is entirely zero becomes after this activation. Non-zero values (sigmoid gives
     * ½, softplus ln 2) must be folded into the consumer's bias when the channel is removed.
     *
     * @return the activation's value at zero
     */
    public double valueAtZero() {
        switch (kind) {
            case SIGMOID:
                return 0.5;
            case SOFTPLUS:
                return Math.log(2);
            default:
                return 0;
        }
    }
}
