package io.djlprune.mask;

import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a pruning method: which channels of each group are kept, for which model (name and
 * channel-graph fingerprint), under which budget, with the exact cost it achieves and how it was found. Every method
 * writes one; compaction and export read it; {@link MaskPlanJson} writes and reads it as JSON. Immutable.
 */
public final class MaskPlan {

    /** The JSON format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** How far a recorded cost ratio may lie from the recomputed one: float rounding, far below one channel's cost. */
    private static final double RATIO_TOLERANCE = 1e-9;

    private int formatVersion = FORMAT_VERSION;
    private String model;
    private String method;
    private String graphFingerprint;
    private String prunableFingerprint;
    private String budgetKind;
    private double target;
    private double achievedRatio;
    private Map<BudgetKind, Double> ratios;
    private List<GroupPlan> groups;
    private Integer epoch;
    private Double validationAccuracy;
    private Double beta;
    private Double gamma;

    /** Where the plan was read from, for error messages; not part of the JSON. */
    private transient String source;

    private MaskPlan() {}

    /**
     * Records where a plan read by {@link MaskPlanJson} came from.
     *
     * @param source the file or entry
     */
    void setSource(String source) {
        this.source = source;
    }

    /**
     * Records a mask with its exact costs.
     *
     * @param model the model's name
     * @param method the method that produced it, e.g. "chipnet"
     * @param cost the cost model of the model's graph
     * @param budget the budget the mask was selected for
     * @param mask the mask
     * @return the plan; add training facts with {@link #withTraining}
     */
    public static MaskPlan of(String model, String method, CostModel cost, Budget budget, ChannelMask mask) {
        return of(model, method, cost, budget, mask, null);
    }

    /**
     * Records a mask with its exact costs and, for ChipNet, the gate values ψ that produced it (for mask transfer).
     *
     * @param model the model's name
     * @param method the method that produced it
     * @param cost the cost model of the model's graph
     * @param budget the budget
     * @param mask the mask
     * @param psi one score array per group id (null entries for fixed groups), or null
     * @return the plan
     */
    public static MaskPlan of(
            String model, String method, CostModel cost, Budget budget, ChannelMask mask, float[][] psi) {
        ChannelGraph graph = cost.getGraph();
        MaskPlan plan = new MaskPlan();
        plan.model = model;
        plan.method = method;
        plan.graphFingerprint = graph.fingerprint();
        plan.prunableFingerprint = graph.prunableFingerprint();
        plan.budgetKind = budget.kind().key();
        plan.target = budget.target();
        plan.ratios = new EnumMap<>(BudgetKind.class);
        for (BudgetKind kind : cost.kinds()) {
            plan.ratios.put(kind, cost.ratio(kind, mask));
        }
        plan.achievedRatio = plan.ratios.get(budget.kind());
        plan.groups = new ArrayList<>();
        for (ChannelGroup group : graph.groups()) {
            float[] groupPsi = psi == null || !group.prunable() ? null : psi[group.id()];
            plan.groups.add(new GroupPlan(group.id(), group.size(), group.prunable(), mask.keptIndices(group.id()), groupPsi));
        }
        return plan;
    }

    /**
     * Returns a copy with the facts of the training epoch that produced the mask.
     *
     * @param epoch the 1-based epoch
     * @param validationAccuracy the validation accuracy with the hard mask
     * @param beta ChipNet's β then, or null
     * @param gamma ChipNet's γ then, or null
     * @return the new plan
     */
    public MaskPlan withTraining(int epoch, double validationAccuracy, Double beta, Double gamma) {
        MaskPlan copy = new MaskPlan();
        copy.formatVersion = formatVersion;
        copy.model = model;
        copy.method = method;
        copy.graphFingerprint = graphFingerprint;
        copy.prunableFingerprint = prunableFingerprint;
        copy.budgetKind = budgetKind;
        copy.target = target;
        copy.achievedRatio = achievedRatio;
        copy.ratios = ratios == null ? null : ratios.isEmpty() ? new EnumMap<>(BudgetKind.class) : new EnumMap<>(ratios);
        copy.groups = groups == null ? null : List.copyOf(groups); // GroupPlan records are never changed
        copy.source = source;
        copy.epoch = epoch;
        copy.validationAccuracy = validationAccuracy;
        copy.beta = beta;
        copy.gamma = gamma;
        return copy;
    }

    /**
     * Returns the mask for the model the plan was made for, after recomputing the exact cost of its kept channels: a
     * plan whose kept channels were edited after pruning would otherwise compact to another model than the ratios it
     * records, and every report made from it would state the wrong ratio.
     *
     * @param graph the model's channel graph
     * @return the mask
     * @throws IllegalArgumentException if the graph is not the one the plan was made for, saying both fingerprints, or
     *     the kept channels do not cost the ratios the plan records, saying both
     */
    public ChannelMask toMask(ChannelGraph graph) {
        if (!graph.fingerprint().equals(graphFingerprint)) {
            throw new IllegalArgumentException(
                    "This mask plan was made for model '" + model + "' with channel graph " + shortId(graphFingerprint)
                            + ", but the given model's graph is " + shortId(graph.fingerprint())
                            + ": a plan only fits the architecture and input shape it was made for (use mask transfer"
                            + " for the same architecture on another dataset).");
        }
        ChannelMask mask = indicesToMask(graph);
        checkRecordedCosts(new CostModel(graph), mask);
        return mask;
    }

    /** Refuses a plan whose recorded ratios (the budget's kind first) are not what its kept channels cost. */
    private void checkRecordedCosts(CostModel cost, ChannelMask mask) {
        BudgetKind budgeted = BudgetKind.parse(budgetKind);
        List<BudgetKind> kinds = new ArrayList<>(List.of(budgeted));
        for (BudgetKind kind : BudgetKind.values()) {
            if (kind != budgeted && ratios != null && ratios.get(kind) != null) {
                kinds.add(kind);
            }
        }
        for (BudgetKind kind : kinds) {
            if (!cost.supports(kind)) {
                continue; // a latency ratio is checked only against the table it was predicted with
            }
            double recorded = kind == budgeted ? achievedRatio : ratios.get(kind);
            double actual = cost.ratio(kind, mask);
            if (Double.compare(recorded, actual) != 0 && !(Math.abs(recorded - actual) <= RATIO_TOLERANCE)) {
                throw new IllegalArgumentException(
                        (source == null ? "This mask plan" : "Mask plan " + source) + " records a " + kind.key()
                                + " ratio of " + ratioText(recorded, actual) + " but its kept channels really cost "
                                + ratioText(actual, recorded) + " of the full model: the file was changed after"
                                + " pruning, and a model compacted from it would be reported with the wrong ratio."
                                + " Restore the file from the prune run, or re-run 'djl-prune prune' for another mask.");
            }
        }
    }

    /** Six significant digits, or every digit where six cannot tell the two ratios apart. */
    private static String ratioText(double ratio, double other) {
        String text = String.format(Locale.ROOT, "%.6g", ratio);
        return text.equals(String.format(Locale.ROOT, "%.6g", other)) ? Double.toString(ratio) : text;
    }

    /**
     * Applies the plan's kept channels to the same architecture built for another dataset (other input channels or
     * class count): mask transfer as the ChipNet paper does it with a fixed mask.
     *
     * @param graph the target model's channel graph
     * @return the mask
     * @throws IllegalArgumentException if the prunable structure differs
     */
    public ChannelMask transferTo(ChannelGraph graph) {
        checkTransferable(graph);
        return indicesToMask(graph);
    }

    /**
     * Returns the stored ψ laid out for a graph with the same prunable structure.
     *
     * @param graph the graph
     * @return one array per group id, null for fixed groups
     * @throws IllegalArgumentException if the plan holds no ψ or the prunable structure differs
     */
    public float[][] psi(ChannelGraph graph) {
        checkTransferable(graph);
        List<ChannelGroup> targetGroups = graph.prunableGroups();
        List<GroupPlan> sourceGroups = groups.stream().filter(GroupPlan::prunable).toList();
        float[][] scores = new float[graph.groups().size()][];
        for (int i = 0; i < targetGroups.size(); i++) {
            float[] psi = sourceGroups.get(i).psi();
            if (psi == null) {
                throw new IllegalArgumentException(
                        "This plan (method " + method + ") holds no gate values ψ to transfer; transfer its mask instead.");
            }
            scores[targetGroups.get(i).id()] = psi.clone();
        }
        return scores;
    }

    /**
     * Returns whether the plan holds the gate values ψ of every prunable group (ChipNet plans do).
     *
     * @return true when ψ can be transferred
     */
    public boolean hasPsi() {
        return groups.stream().filter(GroupPlan::prunable).allMatch(g -> g.psi() != null);
    }

    private void checkTransferable(ChannelGraph graph) {
        if (!graph.prunableFingerprint().equals(prunableFingerprint)) {
            throw new IllegalArgumentException(
                    "This mask plan was made for model '" + model + "' whose prunable channels "
                            + shortId(prunableFingerprint) + " differ from the target's " + shortId(graph.prunableFingerprint())
                            + ": masks transfer only between models of the same architecture.");
        }
    }

    private ChannelMask indicesToMask(ChannelGraph graph) {
        List<ChannelGroup> targetGroups = graph.prunableGroups();
        List<GroupPlan> sourceGroups = groups.stream().filter(GroupPlan::prunable).toList();
        List<int[]> kept = new ArrayList<>();
        for (ChannelGroup group : graph.groups()) {
            int[] all = new int[group.size()];
            for (int c = 0; c < all.length; c++) {
                all[c] = c;
            }
            kept.add(all);
        }
        for (int i = 0; i < targetGroups.size(); i++) {
            kept.set(targetGroups.get(i).id(), sourceGroups.get(i).kept());
        }
        return ChannelMask.fromIndices(graph, kept);
    }

    private static String shortId(String fingerprint) {
        return fingerprint == null ? "(none)" : fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    /**
     * Checks a plan read from JSON: format version, required fields, a valid budget, and kept indices and ψ that fit
     * their groups. Called by {@link MaskPlanJson}.
     *
     * @param source where it came from, for the messages
     * @throws IOException naming the first problem
     */
    void validate(String source) throws IOException {
        if (formatVersion != FORMAT_VERSION) {
            throw new IOException(
                    "Mask plan " + source + " has format version " + formatVersion + "; this djl-prune reads version "
                            + FORMAT_VERSION);
        }
        require(model != null, source, "model");
        require(graphFingerprint != null && prunableFingerprint != null, source, "graphFingerprint");
        require(groups != null && !groups.isEmpty(), source, "groups");
        try {
            BudgetKind.parse(budgetKind);
            new Budget(BudgetKind.parse(budgetKind), target);
        } catch (IllegalArgumentException e) {
            throw new IOException("Mask plan " + source + " has a bad budget: " + e.getMessage(), e);
        }
        for (GroupPlan group : groups) {
            require(group != null && group.kept() != null && group.size() > 0, source, "groups[].kept");
            if (group.kept().length == 0) {
                throw new IOException("Mask plan " + source + " empties group " + group.id());
            }
            for (int index : group.kept()) {
                if (index < 0 || index >= group.size()) {
                    throw new IOException(
                            "Mask plan " + source + " keeps channel " + index + " of group " + group.id() + " which has "
                                    + group.size());
                }
            }
            if (group.psi() != null && group.psi().length != group.size()) {
                throw new IOException("Mask plan " + source + " has " + group.psi().length + " ψ values for group "
                        + group.id() + " of " + group.size() + " channels");
            }
        }
    }

    private static void require(boolean condition, String source, String field) throws IOException {
        if (!condition) {
            throw new IOException("Mask plan " + source + " is incomplete: it lacks '" + field + "'");
        }
    }

    /**
     * Returns the model name.
     *
     * @return the name
     */
    public String getModel() {
        return model;
    }

    /**
     * Returns the method that produced the plan.
     *
     * @return the method
     */
    public String getMethod() {
        return method;
    }

    /**
     * Returns the budget.
     *
     * @return the budget
     */
    public Budget getBudget() {
        return new Budget(BudgetKind.parse(budgetKind), target);
    }

    /**
     * Returns the exact cost ratio achieved for the budget's kind.
     *
     * @return kept / full
     */
    public double getAchievedRatio() {
        return achievedRatio;
    }

    /**
     * Returns the exact cost ratio for any kind.
     *
     * @param kind the kind
     * @return kept / full
     * @throws IllegalArgumentException if the plan records no ratio of that kind (see {@link #hasRatio})
     */
    public double getRatio(BudgetKind kind) {
        Double ratio = ratios.get(kind);
        if (ratio == null) {
            throw new IllegalArgumentException("This mask plan records no " + kind.key() + " ratio: a plan records"
                    + " latency only when it was made with a latency table");
        }
        return ratio;
    }

    /**
     * Returns whether the plan records a ratio of a kind ({@link BudgetKind#LATENCY} only when it was made with a
     * latency table).
     *
     * @param kind the kind
     * @return true when {@link #getRatio} has it
     */
    public boolean hasRatio(BudgetKind kind) {
        return ratios != null && ratios.get(kind) != null;
    }

    /**
     * Returns ChipNet's β when the plan was made, for the gate values z(ψ).
     *
     * @return β, or null for plans of other methods
     */
    public Double getBeta() {
        return beta;
    }

    /**
     * Returns ChipNet's γ when the plan was made, for the gate values z(ψ).
     *
     * @return γ, or null for plans of other methods
     */
    public Double getGamma() {
        return gamma;
    }

    /**
     * Returns the epoch that produced the plan, if trained.
     *
     * @return the epoch or null
     */
    public Integer getEpoch() {
        return epoch;
    }

    /**
     * Returns the validation accuracy with the hard mask, if measured.
     *
     * @return the accuracy or null
     */
    public Double getValidationAccuracy() {
        return validationAccuracy;
    }

    /**
     * Returns the kept channel counts of every group, for reports.
     *
     * @return counts by group id
     */
    public int[] keptCounts() {
        return groups.stream().mapToInt(g -> g.kept().length).toArray();
    }

    /**
     * One group of a plan.
     *
     * @param id the group id
     * @param size its channel count
     * @param prunable whether it may be pruned
     * @param kept the kept indices, ascending
     * @param psi the gate values ψ, or null
     */
    record GroupPlan(int id, int size, boolean prunable, int[] kept, float[] psi) {}
}
