package io.djlprune.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.djlprune.ndarray.OwnedArrays;

/**
 * ChipNet's continuous Heaviside projection of a gate logit ψ, fixed at one setting of its two sharpness scalars.
 *
 * <ul>
 *   <li>logistic: {@code z̃ = 1 / (1 + exp(−β·ψ))}
 *   <li>continuous Heaviside: {@code z = 1 − exp(−γ·z̃) + z̃·exp(−γ)}
 * </ul>
 *
 * <p>{@code z} maps {@code z̃ = 0} to 0 and {@code z̃ = 1} to 1 and lies above {@code z̃} in between; a large γ
 * pushes it towards a step. The scalar methods serve tests, ranking and reports; the {@link NDArray} methods are
 * built from DJL operators only, so autograd reaches ψ on whatever device ψ lives.
 *
 * @param beta β, the slope of the logistic; must be positive and finite
 * @param gamma γ, the sharpness of the Heaviside approximation; must be positive and finite
 */
public record HeavisideProjection(double beta, double gamma) {

    /** Validates β and γ. */
    public HeavisideProjection {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive and finite, got " + gamma);
        }
    }

    /**
     * Returns the logistic {@code z̃ = 1 / (1 + exp(−β·ψ))} of one gate logit.
     *
     * @param psi the gate logit ψ
     * @return z̃ in [0, 1]
     */
    public double logistic(double psi) {
        double x = beta * psi;
        // Two branches so that exp never overflows for logits far from zero.
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * Returns the gate value {@code z} of one gate logit.
     *
     * @param psi the gate logit ψ
     * @return z in [0, 1]
     */
    public double gate(double psi) {
        return heaviside(logistic(psi));
    }

    /**
     * Returns the continuous Heaviside {@code z = 1 − exp(−γ·z̃) + z̃·exp(−γ)} of a logistic value.
     *
     * @param logistic z̃ in [0, 1]
     * @return z in [0, 1]
     */
    public double heaviside(double logistic) {
        return 1.0 - Math.exp(-gamma * logistic) + logistic * Math.exp(-gamma);
    }

    /**
     * Returns the element-wise logistic {@code z̃} of an array of gate logits, differentiable with respect to ψ.
     *
     * @param psi the gate logits ψ, any shape
     * @return z̃, same shape, device and data type as {@code psi}
     */
    public NDArray logistic(NDArray psi) {
        // DJL's sigmoid kernel is the numerically stable form of 1 / (1 + exp(−x)), also in its gradient.
        return Activation.sigmoid(OwnedArrays.times(psi, beta));
    }

    /**
     * Returns the element-wise gate values {@code z} of an array of gate logits, differentiable with respect to ψ.
     *
     * @param psi the gate logits ψ, any shape
     * @return z, same shape, device and data type as {@code psi}
     */
    public NDArray gate(NDArray psi) {
        return heaviside(logistic(psi));
    }

    /**
     * Returns the element-wise continuous Heaviside {@code z} of logistic values, differentiable with respect to them.
     *
     * @param logistic z̃, any shape
     * @return z, same shape, device and data type as {@code logistic}
     */
    public NDArray heaviside(NDArray logistic) {
        return OwnedArrays.times(logistic, -gamma)
                .exp()
                .neg()
                .add(1.0)
                .add(OwnedArrays.times(logistic, Math.exp(-gamma)));
    }
}
