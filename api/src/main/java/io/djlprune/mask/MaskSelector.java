package io.djlprune.mask;

import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.cost.KeptCounter;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns per-channel scores into the hard mask for a budget, **guaranteeing** {@code cost(mask) ≤ target · full} with
 * the exact cost model, at least {@code minKeep} channels in every group, and a cost as close under the target as the
 * channel granularity allows.
 *
 * <p>The greedy works with exact incremental costs, so the quadratic coupling of parameters and FLOPs (a layer's cost
 * depends on its producer's kept channels) is handled: channels are removed in {@link ChannelOrder} until the budget is
 * met, then removed channels are added back, best first, wherever they still fit. Every method (ChipNet's ψ, DeepHoyer's
 * group norms, L1 norms, BN scales, random) feeds its scores through this one selector.
 *
 * <p>With {@link Builder#optRoundTo(int)} the kept count of every group wider than the rounding step becomes a multiple
 * of it (or the full width, or the group's minimum, one channel, when less than one step fits), because CPU convolution
 * kernels work in channel blocks of the vector width (16 floats with AVX-512): 17 kept channels cost what 32 do. The
 * budget guarantee is unchanged.
 */
public final class MaskSelector {

    private final ChannelOrder order;
    private final int minKeep;
    private final double minKeepFraction;
    private final int roundTo;

    private MaskSelector(Builder builder) {
        this.order = builder.order;
        this.minKeep = builder.minKeep;
        this.minKeepFraction = builder.minKeepFraction;
        this.roundTo = builder.roundTo;
    }

    /**
     * Creates a builder: global score order, at least one channel per group.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Selects the mask for a budget from scores alone.
     *
     * @param cost the cost model of the graph
     * @param budget the budget
     * @param scores one score per channel of each group id (higher = more worth keeping); fixed groups may be null
     * @return the selected mask
     * @throws BudgetUnreachableException if even the minimal network exceeds the budget
     */
    public ChannelMask select(CostModel cost, Budget budget, float[][] scores) {
        return select(cost, budget, scores, null);
    }

    /**
     * Selects the mask for a budget from scores and the soft gate values of a gated method, which {@link
     * ChannelOrder#PREFERRED_FIRST} (z &gt; ½ preferred) and {@link ChannelOrder#SOFT_SHARE} (Σz per group) use.
     *
     * @param cost the cost model of the graph
     * @param budget the budget
     * @param scores one score per channel of each group id (higher = more worth keeping); fixed groups may be null
     * @param gates one soft gate value in [0, 1] per channel of each prunable group (e.g. ChipNet's z); may be null
     *     unless the order is {@link ChannelOrder#SOFT_SHARE}
     * @return the selected mask
     * @throws BudgetUnreachableException if even the minimal network exceeds the budget
     * @throws IllegalArgumentException if the scores or gate values do not fit the graph or contain NaN, or the
     *     order needs gate values and none were given
     */
    public ChannelMask select(CostModel cost, Budget budget, float[][] scores, float[][] gates) {
        ChannelGraph graph = cost.getGraph();
        checkValues(graph, scores, "scores", false);
        if (gates != null) {
            checkValues(graph, gates, "gate values", true);
        } else if (order == ChannelOrder.SOFT_SHARE) {
            throw new IllegalArgumentException(
                    "The channel order 'share' allocates channels by soft gate values, and none were given: use it"
                            + " with a gated method (ChipNet), or choose global, cost or volume");
        }
        long limit = (long) Math.floor(budget.target() * cost.full(budget.kind()) + 1e-9);
        WorkingMask work = new WorkingMask(graph);
        if (cost.exact(budget.kind(), work) <= limit) {
            return work.toMask(graph);
        }
        List<Candidate> candidates = candidates(cost, budget, scores, gates);
        List<Candidate> removed = new ArrayList<>();
        long current = cost.exact(budget.kind(), work);
        for (Candidate c : candidates) {
            if (current <= limit) {
                break;
            }
            if (work.kept[c.group] <= minimum(graph.group(c.group))) {
                continue;
            }
            work.set(c.group, c.channel, false);
            removed.add(c);
            current = cost.exact(budget.kind(), work);
        }
        if (current > limit) {
            double minimum = (double) current / cost.full(budget.kind());
            throw new BudgetUnreachableException(
                    String.format(
                            "Budget %s cannot be met: with every prunable group at its minimum the network keeps %.4f"
                                    + " of its %s. Choose a target ≥ %.4f or prune more groups.",
                            budget, minimum, budget.kind().key(), minimum),
                    minimum);
        }
        if (roundTo > 1) {
            roundDown(graph, scores, work, removed);
        }
        fillBack(cost, budget.kind(), limit, scores, work, removed);
        return work.toMask(graph);
    }

    /**
     * Gives up, in every group wider than the rounding step, the lowest-scored kept channels above the last whole
     * step (above the group's minimum when it keeps less than one step). Removing channels never raises a cost, so the
     * budget still holds.
     */
    private void roundDown(ChannelGraph graph, float[][] scores, WorkingMask work, List<Candidate> removed) {
        for (ChannelGroup group : graph.prunableGroups()) {
            int g = group.id();
            int kept = work.kept[g];
            int rounded = kept / roundTo * roundTo;
            if (!rounded(group) || kept == group.size() || rounded == kept) {
                continue;
            }
            // below one whole step the group falls to its minimum (one channel), which the fill-back raises by a
            // whole step where the budget allows: 3 kept channels cost a latency table's interpolation between 1 and
            // a step, but run at the kernels' cost of a whole block
            int target = rounded >= Math.max(roundTo, minimum(group)) ? rounded : minimum(group);
            if (target >= kept) {
                continue;
            }
            rounded = target;
            List<Integer> keptChannels = new ArrayList<>();
            for (int c = 0; c < group.size(); c++) {
                if (work.keep[g][c]) {
                    keptChannels.add(c);
                }
            }
            keptChannels.sort(Comparator.comparingDouble((Integer c) -> scores[g][c]).thenComparingInt(c -> c));
            for (int i = 0; i < kept - rounded; i++) {
                int c = keptChannels.get(i);
                work.set(g, c, false);
                // At the front: the fill-back walks the list from its end, so these are tried after all others.
                removed.add(0, new Candidate(g, c, false, scores[g][c]));
            }
        }
    }

    /**
     * Adds removed channels back, best (last removed) first, wherever they still fit, so the result is as close under
     * the target as possible. In rounded groups a whole step goes back at once: the best removed channels of the
     * group up to its next multiple of the step (or its full width).
     */
    private void fillBack(
            CostModel cost, BudgetKind kind, long limit, float[][] scores, WorkingMask work, List<Candidate> removed) {
        ChannelGraph graph = cost.getGraph();
        // The kept count at which a rounded group's step last failed to fit: costs only grow as channels return, so
        // the same step would fail again.
        int[] failedAt = new int[graph.groups().size()];
        Arrays.fill(failedAt, -1);
        for (int i = removed.size() - 1; i >= 0; i--) {
            Candidate c = removed.get(i);
            ChannelGroup group = graph.group(c.group);
            if (work.keep[c.group][c.channel] || failedAt[c.group] == work.kept[c.group]) {
                continue;
            }
            List<Integer> step = rounded(group) ? nextStep(group, scores[c.group], work) : List.of(c.channel);
            for (int channel : step) {
                work.set(c.group, channel, true);
            }
            if (cost.exact(kind, work) > limit) {
                for (int channel : step) {
                    work.set(c.group, channel, false);
                }
                failedAt[c.group] = rounded(group) ? work.kept[c.group] : -1;
            }
        }
    }

    /** The best removed channels of a rounded group that bring its kept count to the next step or its width. */
    private List<Integer> nextStep(ChannelGroup group, float[] scores, WorkingMask work) {
        int g = group.id();
        int kept = work.kept[g];
        int target = Math.min(group.size(), (kept / roundTo + 1) * roundTo);
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < group.size(); c++) {
            if (!work.keep[g][c]) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingDouble((Integer c) -> -scores[c]).thenComparingInt(c -> c));
        return out.subList(0, target - kept);
    }

    private boolean rounded(ChannelGroup group) {
        return roundTo > 1 && group.size() > roundTo;
    }

    private int minimum(ChannelGroup group) {
        return Math.min(group.size(), Math.max(minKeep, (int) Math.ceil(minKeepFraction * group.size())));
    }

    private List<Candidate> candidates(CostModel cost, Budget budget, float[][] scores, float[][] gates) {
        ChannelGraph graph = cost.getGraph();
        float lowest = Float.POSITIVE_INFINITY;
        for (ChannelGroup group : graph.prunableGroups()) {
            for (float s : scores[group.id()]) {
                lowest = Math.min(lowest, s);
            }
        }
        List<Candidate> list = new ArrayList<>();
        for (ChannelGroup group : graph.prunableGroups()) {
            int g = group.id();
            BudgetKind savingKind =
                    switch (order) {
                        case COST_NORMALIZED -> budget.kind();
                        case VOLUME_NORMALIZED -> BudgetKind.VOLUME;
                        default -> null;
                    };
            double saving = savingKind == null ? 1 : savingPerChannel(cost, savingKind, group);
            int[] rank = order == ChannelOrder.SOFT_SHARE ? ranks(scores[g]) : null;
            double share = order == ChannelOrder.SOFT_SHARE ? sum(gates[g]) : 0;
            for (int c = 0; c < group.size(); c++) {
                float score = scores[g][c];
                double key;
                if (rank != null) {
                    key = share / (rank[c] + 1);
                } else {
                    key = savingKind == null ? score : (score - lowest + 1e-6) / Math.max(saving, 1e-12);
                }
                boolean prefer = order == ChannelOrder.PREFERRED_FIRST && gates != null && gates[g][c] > 0.5f;
                list.add(new Candidate(g, c, prefer, key));
            }
        }
        list.sort(
                Comparator.comparing((Candidate c) -> c.preferred)
                        .thenComparingDouble(c -> c.key)
                        .thenComparingInt(c -> c.group)
                        .thenComparingInt(c -> c.channel));
        return list;
    }

    /** Each channel's rank within its group, 0 for the highest score (ties: lower index first). */
    private static int[] ranks(float[] scores) {
        Integer[] byScore = new Integer[scores.length];
        for (int c = 0; c < scores.length; c++) {
            byScore[c] = c;
        }
        Arrays.sort(byScore, Comparator.comparingDouble((Integer c) -> -scores[c]).thenComparingInt(c -> c));
        int[] rank = new int[scores.length];
        for (int r = 0; r < byScore.length; r++) {
            rank[byScore[r]] = r;
        }
        return rank;
    }

    private static double sum(float[] values) {
        double total = 0;
        for (float v : values) {
            total += v;
        }
        return total;
    }

    /** The fraction of full cost that removing one channel of the group saves, at the full network. */
    private static double savingPerChannel(CostModel cost, BudgetKind kind, ChannelGroup group) {
        WorkingMask work = new WorkingMask(cost.getGraph());
        long full = cost.exact(kind, work);
        work.set(group.id(), 0, false);
        return (double) (full - cost.exact(kind, work)) / cost.full(kind);
    }

    private static void checkValues(ChannelGraph graph, float[][] values, String what, boolean bounded) {
        if (values == null || values.length != graph.groups().size()) {
            throw new IllegalArgumentException(
                    "The " + what + " must have one array per group (" + graph.groups().size() + "), got "
                            + (values == null ? "none" : values.length));
        }
        for (ChannelGroup group : graph.prunableGroups()) {
            float[] s = values[group.id()];
            if (s == null || s.length != group.size()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " has " + group.size() + " channels but "
                                + (s == null ? "no" : s.length) + " " + what);
            }
            for (float v : s) {
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException("Group " + group.id() + " has a NaN in its " + what);
                }
                if (bounded && (v < 0 || v > 1)) {
                    throw new IllegalArgumentException(
                            "Group " + group.id() + " has " + what + " outside [0, 1]: " + v);
                }
            }
        }
    }

    private record Candidate(int group, int channel, boolean preferred, double key) {}

    /** The mutable mask the greedy edits, with per-group counts so whole-group queries are O(1). */
    private static final class WorkingMask implements KeptCounter {
        private final boolean[][] keep;
        private final int[] kept;

        WorkingMask(ChannelGraph graph) {
            keep = new boolean[graph.groups().size()][];
            kept = new int[keep.length];
            for (ChannelGroup group : graph.groups()) {
                keep[group.id()] = new boolean[group.size()];
                Arrays.fill(keep[group.id()], true);
                kept[group.id()] = group.size();
            }
        }

        void set(int group, int channel, boolean value) {
            if (keep[group][channel] != value) {
                keep[group][channel] = value;
                kept[group] += value ? 1 : -1;
            }
        }

        @Override
        public int keptCount(int group, int start, int count) {
            if (start == 0 && count == keep[group].length) {
                return kept[group];
            }
            int n = 0;
            for (int c = start; c < start + count; c++) {
                n += keep[group][c] ? 1 : 0;
            }
            return n;
        }

        ChannelMask toMask(ChannelGraph graph) {
            return ChannelMask.of(graph, keep);
        }
    }

    /** Configures a {@link MaskSelector}. */
    public static final class Builder {
        private ChannelOrder order = ChannelOrder.GLOBAL_SCORE;
        private int minKeep = 1;
        private double minKeepFraction;
        private int roundTo = 1;

        Builder() {}

        /**
         * Sets the order in which channels are given up.
         *
         * @param order the order
         * @return this builder
         */
        public Builder optOrder(ChannelOrder order) {
            this.order = order;
            return this;
        }

        /**
         * Sets the fewest channels any group keeps (default 1; never 0, which would cut the network).
         *
         * @param minKeep at least 1
         * @return this builder
         */
        public Builder optMinKeep(int minKeep) {
            if (minKeep < 1) {
                throw new IllegalArgumentException("Every group must keep at least 1 channel, got " + minKeep);
            }
            this.minKeep = minKeep;
            return this;
        }

        /**
         * Sets the smallest share of its channels any group keeps (default 0: only {@code minKeep} applies).
         *
         * @param fraction in [0, 1)
         * @return this builder
         */
        public Builder optMinKeepFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("The minimum kept share must be in [0, 1), got " + fraction);
            }
            this.minKeepFraction = fraction;
            return this;
        }

        /**
         * Rounds the kept count of every group wider than {@code step} to a multiple of it (or the group's full
         * width); groups of at most {@code step} channels are selected channel by channel. Default 1: no rounding.
         * Use the CPU's vector width in floats, 16 with AVX-512 or 8 with AVX2, so that compacted convolutions fill
         * whole channel blocks and latency follows FLOPs more closely. The budget is still met exactly (≤ target).
         *
         * @param step at least 1
         * @return this builder
         */
        public Builder optRoundTo(int step) {
            if (step < 1) {
                throw new IllegalArgumentException("The rounding step must be at least 1 channel, got " + step);
            }
            this.roundTo = step;
            return this;
        }

        /**
         * Builds the selector.
         *
         * @return the selector
         */
        public MaskSelector build() {
            return new MaskSelector(this);
        }
    }
}
