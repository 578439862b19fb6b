package io.djlprune.gate;

/**
 * The annealing schedule of ChipNet's gate scalars: β and γ of the {@link HeavisideProjection} and the steepness k of
 * the soft channel count {@code 1 / (1 + exp(−k·(z − 0.5)))} used by the budget term.
 *
 * <p>Epoch 0 is the state before any annealing; epoch {@code e} is the state after {@code e} annealing steps:
 *
 * <ul>
 *   <li>{@code β(e) = min(βcap, βstart + e·βstep)} (defaults 1, 0.02, 6)
 *   <li>{@code γ(e) = min(γcap, γstart·γfactor^e)} (defaults 2, √2, 256)
 *   <li>{@code k(e) = min(kcap, kstart + e·kstep)} (defaults 10, 5, 60), spread linearly over the steps of an epoch
 * </ul>
 *
 * <p>Optionally γ is annealed per step instead, geometrically from γstart to γcap over a chosen number of training
 * steps, so that short runs still end with crisp gates (ALGORITHMS.md §1.5a). Instances are immutable.
 */
public final class GateSchedule {

    private final double betaStart;
    private final double betaStep;
    private final double betaCap;
    private final double gammaStart;
    private final double gammaFactor;
    private final double gammaCap;
    private final double steepnessStart;
    private final double steepnessStep;
    private final double steepnessCap;
    private final long gammaAnnealingSteps;

    private GateSchedule(Builder builder) {
        betaStart = builder.betaStart;
        betaStep = builder.betaStep;
        betaCap = builder.betaCap;
        gammaStart = builder.gammaStart;
        gammaFactor = builder.gammaFactor;
        gammaCap = builder.gammaCap;
        steepnessStart = builder.steepnessStart;
        steepnessStep = builder.steepnessStep;
        steepnessCap = builder.steepnessCap;
        gammaAnnealingSteps = builder.gammaAnnealingSteps;
    }

    /**
     * Creates a builder preset with the reference code's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the schedule with all of the reference code's defaults and per-epoch annealing.
     *
     * @return the reference schedule
     */
    public static GateSchedule reference() {
        return builder().build();
    }

    /**
     * Returns β after {@code epoch} annealing steps.
     *
     * @param epoch the number of completed annealing epochs, from 0
     * @return β
     */
    public double betaAt(int epoch) {
        checkEpoch(epoch);
        return Math.min(betaCap, betaStart + epoch * betaStep);
    }

    /**
     * Returns γ after {@code epoch} annealing steps of the per-epoch rule (ignores per-step annealing).
     *
     * @param epoch the number of completed annealing epochs, from 0
     * @return γ
     */
    public double gammaAt(int epoch) {
        checkEpoch(epoch);
        return Math.min(gammaCap, gammaStart * Math.pow(gammaFactor, epoch));
    }

    /**
     * Returns γ of the per-step rule after {@code globalStep} training steps.
     *
     * @param globalStep the number of training steps taken so far, from 0
     * @return γ, reaching the cap at the configured number of annealing steps
     * @throws IllegalStateException if γ is annealed per epoch
     */
    public double gammaAtStep(long globalStep) {
        if (!isGammaAnnealedPerStep()) {
            throw new IllegalStateException("gamma is annealed per epoch; use gammaAt(epoch)");
        }
        if (globalStep < 0) {
            throw new IllegalArgumentException("globalStep must be >= 0, got " + globalStep);
        }
        double progress = Math.min(1.0, (double) globalStep / gammaAnnealingSteps);
        // Geometric, like the per-epoch rule, so each step sharpens the gate by the same factor.
        return Math.min(gammaCap, gammaStart * Math.pow(gammaCap / gammaStart, progress));
    }

    /**
     * Returns the soft-count steepness k after {@code epoch} annealing steps.
     *
     * @param epoch the number of completed annealing epochs, from 0
     * @return k
     */
    public double steepnessAt(int epoch) {
        checkEpoch(epoch);
        return Math.min(steepnessCap, steepnessStart + epoch * steepnessStep);
    }

    /**
     * Returns the soft-count steepness k at a step inside an epoch, interpolated linearly between the epoch's value and
     * the next epoch's value (the reference code spreads each epoch's increase over its steps).
     *
     * @param epoch the number of completed annealing epochs, from 0
     * @param stepInEpoch the step inside the current epoch, from 0 to {@code stepsPerEpoch − 1}
     * @param stepsPerEpoch the number of steps of one epoch, positive
     * @return k
     */
    public double steepnessAt(int epoch, int stepInEpoch, int stepsPerEpoch) {
        checkStep(stepInEpoch, stepsPerEpoch);
        double from = steepnessAt(epoch);
        double to = steepnessAt(epoch + 1);
        return from + (to - from) * stepInEpoch / stepsPerEpoch;
    }

    /**
     * Returns the projection after {@code epoch} annealing steps of the per-epoch rule.
     *
     * @param epoch the number of completed annealing epochs, from 0
     * @return the projection with {@code β(epoch)} and {@code γ(epoch)}
     * @throws IllegalStateException if γ is annealed per step (use the three-argument form)
     */
    public HeavisideProjection projectionAt(int epoch) {
        if (isGammaAnnealedPerStep()) {
            throw new IllegalStateException(
                    "gamma is annealed per step; use projectionAt(epoch, stepInEpoch, stepsPerEpoch)");
        }
        return new HeavisideProjection(betaAt(epoch), gammaAt(epoch));
    }

    /**
     * Returns the projection at a step inside an epoch: β follows the per-epoch rule, γ the per-step rule if it is
     * enabled (global step {@code epoch·stepsPerEpoch + stepInEpoch}) and the per-epoch rule otherwise.
     *
     * @param epoch the number of completed annealing epochs, from 0
     * @param stepInEpoch the step inside the current epoch, from 0 to {@code stepsPerEpoch − 1}
     * @param stepsPerEpoch the number of steps of one epoch, positive
     * @return the projection
     */
    public HeavisideProjection projectionAt(int epoch, int stepInEpoch, int stepsPerEpoch) {
        checkStep(stepInEpoch, stepsPerEpoch);
        double gamma =
                isGammaAnnealedPerStep()
                        ? gammaAtStep((long) epoch * stepsPerEpoch + stepInEpoch)
                        : gammaAt(epoch);
        return new HeavisideProjection(betaAt(epoch), gamma);
    }

    /**
     * Returns whether γ is annealed per step rather than per epoch.
     *
     * @return true if {@link Builder#optGammaStepAnnealing(long)} was set
     */
    public boolean isGammaAnnealedPerStep() {
        return gammaAnnealingSteps > 0;
    }

    /**
     * Returns the number of steps over which γ reaches its cap when annealed per step.
     *
     * @return the number of steps, or 0 when γ is annealed per epoch
     */
    public long getGammaAnnealingSteps() {
        return gammaAnnealingSteps;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        String gamma =
                isGammaAnnealedPerStep()
                        ? "gamma " + gammaStart + "->" + gammaCap + " over " + gammaAnnealingSteps + " steps"
                        : "gamma " + gammaStart + " x" + gammaFactor + " cap " + gammaCap;
        return "GateSchedule[beta " + betaStart + " +" + betaStep + " cap " + betaCap + ", " + gamma
                + ", steepness " + steepnessStart + " +" + steepnessStep + " cap " + steepnessCap + "]";
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    private static void checkStep(int stepInEpoch, int stepsPerEpoch) {
        if (stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("stepsPerEpoch must be positive, got " + stepsPerEpoch);
        }
        if (stepInEpoch < 0 || stepInEpoch >= stepsPerEpoch) {
            throw new IllegalArgumentException(
                    "stepInEpoch must be in [0, " + stepsPerEpoch + "), got " + stepInEpoch);
        }
    }

    /** Builds a {@link GateSchedule}; every setting starts at the reference code's default. */
    public static final class Builder {

        private double betaStart = 1;
        private double betaStep = 0.02;
        private double betaCap = 6;
        private double gammaStart = 2;
        private double gammaFactor = Math.sqrt(2);
        private double gammaCap = 256;
        private double steepnessStart = 10;
        private double steepnessStep = 5;
        private double steepnessCap = 60;
        private long gammaAnnealingSteps;

        Builder() {}

        /**
         * Sets β at epoch 0 (default 1).
         *
         * @param betaStart a positive, finite value
         * @return this builder
         */
        public Builder optBetaStart(double betaStart) {
            this.betaStart = positive("betaStart", betaStart);
            return this;
        }

        /**
         * Sets the amount added to β per epoch (default 0.02).
         *
         * @param betaStep a non-negative, finite value
         * @return this builder
         */
        public Builder optBetaStep(double betaStep) {
            this.betaStep = nonNegative("betaStep", betaStep);
            return this;
        }

        /**
         * Sets the largest β (default 6).
         *
         * @param betaCap a finite value not below the start
         * @return this builder
         */
        public Builder optBetaCap(double betaCap) {
            this.betaCap = positive("betaCap", betaCap);
            return this;
        }

        /**
         * Sets γ at epoch 0 (default 2).
         *
         * @param gammaStart a positive, finite value
         * @return this builder
         */
        public Builder optGammaStart(double gammaStart) {
            this.gammaStart = positive("gammaStart", gammaStart);
            return this;
        }

        /**
         * Sets the factor γ is multiplied by per epoch (default √2).
         *
         * @param gammaFactor a finite value of at least 1 (γ never decreases)
         * @return this builder
         */
        public Builder optGammaFactor(double gammaFactor) {
            if (!(gammaFactor >= 1) || Double.isInfinite(gammaFactor)) {
                throw new IllegalArgumentException("gammaFactor must be finite and >= 1, got " + gammaFactor);
            }
            this.gammaFactor = gammaFactor;
            return this;
        }

        /**
         * Sets the largest γ (default 256).
         *
         * @param gammaCap a finite value not below the start
         * @return this builder
         */
        public Builder optGammaCap(double gammaCap) {
            this.gammaCap = positive("gammaCap", gammaCap);
            return this;
        }

        /**
         * Anneals γ per step instead of per epoch: geometrically from the start to the cap over {@code totalSteps}
         * training steps, then held at the cap.
         *
         * @param totalSteps the number of steps to reach the cap, positive
         * @return this builder
         */
        public Builder optGammaStepAnnealing(long totalSteps) {
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("gamma annealing steps must be positive, got " + totalSteps);
            }
            this.gammaAnnealingSteps = totalSteps;
            return this;
        }

        /**
         * Sets the soft-count steepness k at epoch 0 (default 10).
         *
         * @param steepnessStart a positive, finite value
         * @return this builder
         */
        public Builder optSteepnessStart(double steepnessStart) {
            this.steepnessStart = positive("steepnessStart", steepnessStart);
            return this;
        }

        /**
         * Sets the amount added to k per epoch (default 5).
         *
         * @param steepnessStep a non-negative, finite value
         * @return this builder
         */
        public Builder optSteepnessStep(double steepnessStep) {
            this.steepnessStep = nonNegative("steepnessStep", steepnessStep);
            return this;
        }

        /**
         * Sets the largest k (default 60).
         *
         * @param steepnessCap a finite value not below the start
         * @return this builder
         */
        public Builder optSteepnessCap(double steepnessCap) {
            this.steepnessCap = positive("steepnessCap", steepnessCap);
            return this;
        }

        /**
         * Builds the schedule.
         *
         * @return the immutable schedule
         * @throws IllegalArgumentException if a cap lies below its start
         */
        public GateSchedule build() {
            capNotBelowStart("beta", betaStart, betaCap);
            capNotBelowStart("gamma", gammaStart, gammaCap);
            capNotBelowStart("steepness", steepnessStart, steepnessCap);
            return new GateSchedule(this);
        }

        private static void capNotBelowStart(String name, double start, double cap) {
            if (cap < start) {
                throw new IllegalArgumentException(
                        name + " cap (" + cap + ") must not be below its start (" + start + ")");
            }
        }

        private static double positive(String name, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
            }
            return value;
        }

        private static double nonNegative(String name, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be non-negative and finite, got " + value);
            }
            return value;
        }
    }
}
