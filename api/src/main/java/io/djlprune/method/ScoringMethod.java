package io.djlprune.method;

import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.cost.CostModel;
import io.djlprune.criteria.BatchNormScale;
import io.djlprune.criteria.ChannelScorer;
import io.djlprune.criteria.GroupLasso;
import io.djlprune.criteria.GroupNormScore;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.criteria.RandomScores;
import io.djlprune.criteria.SlimmingRegularizedLoss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.hoyer.GroupNormThreshold;
import io.djlprune.hoyer.HoyerRegularizedLoss;
import io.djlprune.hoyer.HoyerVariant;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.training.ClassifierTraining;
import io.djlprune.training.Evaluation;
import io.djlprune.training.OptimizerRecipe;
import java.io.IOException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A method that scores channels and lets the selector keep the best at the budget, after a sparsity-regularised
 * training phase where it has one: L1 filter norms and random scores one shot on the trained weights; Group-HS, HS,
 * slimming and group lasso after training with their regulariser (Adam, the recipe's learning rate, cosine decay).
 * Instances are immutable; {@link #withThreshold} gives a copy.
 */
public final class ScoringMethod implements PruningMethod {

    private static final Logger logger = LoggerFactory.getLogger(ScoringMethod.class);

    /** DeepHoyer trains Group-HS with weight decay 1e-4; the other regularised baselines get the same. */
    private static final float REFERENCE_WEIGHT_DECAY = 1e-4f;

    private final String name;
    private final Function<ChannelGraph, Loss> regularizedLoss;
    private final BiFunction<ChannelGraph, Long, ChannelScorer> scorer;
    private final Float threshold;

    private ScoringMethod(
            String name,
            Function<ChannelGraph, Loss> regularizedLoss,
            BiFunction<ChannelGraph, Long, ChannelScorer> scorer,
            Float threshold) {
        this.name = name;
        this.regularizedLoss = regularizedLoss;
        this.scorer = scorer;
        this.threshold = threshold;
    }

    /**
     * L1-norm filters (Li et al. 2017), one shot on the trained weights.
     *
     * @return the method
     */
    public static ScoringMethod l1() {
        return new ScoringMethod("l1", null, (graph, seed) -> new L1FilterNorm(), null);
    }

    /**
     * Random channels at the budget, seeded by the run: the floor every method must beat.
     *
     * @return the method
     */
    public static ScoringMethod random() {
        return new ScoringMethod("random", null, (graph, seed) -> new RandomScores(seed), null);
    }

    /**
     * Structured DeepHoyer: Group-HS on filters and channels while training, then channels ranked by group norm.
     *
     * @param alpha the regulariser's weight α
     * @return the method
     */
    public static ScoringMethod groupHs(float alpha) {
        return new ScoringMethod(
                "group-hs",
                graph -> HoyerRegularizedLoss.builder().setGraph(graph).optVariant(HoyerVariant.GROUP).optAlpha(alpha).build(),
                (graph, seed) -> new GroupNormScore(false),
                null);
    }

    /**
     * Element-wise DeepHoyer: HS on every weight while training, then channels ranked by the group norm of the
     * sparse weights.
     *
     * @param alpha the regulariser's weight α
     * @return the method
     */
    public static ScoringMethod hs(float alpha) {
        return new ScoringMethod(
                "hs",
                graph -> HoyerRegularizedLoss.builder()
                        .setGraph(graph)
                        .optVariant(HoyerVariant.ELEMENTWISE)
                        .optAlpha(alpha)
                        .build(),
                (graph, seed) -> new GroupNormScore(false),
                null);
    }

    /**
     * Network Slimming (Liu et al. 2017): L1 on BatchNorm γ while training, channels ranked by |γ|.
     *
     * @param lambda the L1 weight λ
     * @return the method
     */
    public static ScoringMethod slimming(float lambda) {
        return new ScoringMethod(
                "slimming",
                graph -> new SlimmingRegularizedLoss(graph, Loss.softmaxCrossEntropyLoss(), lambda),
                (graph, seed) -> new BatchNormScale(),
                null);
    }

    /**
     * Group lasso / SSL (Wen et al. 2016): Σ‖w_g‖₂ while training, channels ranked by group norm.
     *
     * @param lambda the group-lasso weight λ
     * @return the method
     */
    public static ScoringMethod groupLasso(float lambda) {
        return new ScoringMethod(
                "group-lasso",
                graph -> new GroupLasso(graph).newLoss(Loss.softmaxCrossEntropyLoss(), lambda),
                (graph, seed) -> new GroupLasso(graph),
                null);
    }

    /**
     * Returns a copy that keeps the channels whose group norm exceeds a threshold instead of selecting at the budget
     * (DeepHoyer's own rule; the run warns when the result exceeds the budget).
     *
     * @param threshold the group-norm threshold, ≥ 0
     * @return the copy
     */
    public ScoringMethod withThreshold(float threshold) {
        if (!(threshold >= 0) || !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("The group-norm threshold must be ≥ 0, got " + threshold);
        }
        return new ScoringMethod(name, regularizedLoss, scorer, threshold);
    }

    /**
     * Whether the method trains with a sparsity regulariser before scoring.
     *
     * @return true for Group-HS, HS, slimming and group lasso
     */
    public boolean isRegularized() {
        return regularizedLoss != null;
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return name;
    }

    /** {@inheritDoc} */
    @Override
    public ChannelOrder defaultOrder() {
        return ChannelOrder.GLOBAL_SCORE;
    }

    /** {@inheritDoc} */
    @Override
    public float referenceWeightDecay() {
        return REFERENCE_WEIGHT_DECAY;
    }

    /** {@inheritDoc} */
    @Override
    public MethodResult prune(PruningContext context) throws IOException, TranslateException {
        ChannelGraph graph = context.graph();
        if (isRegularized()) {
            OptimizerRecipe adam =
                    OptimizerRecipe.builder()
                            .optLearningRate(context.recipe().learningRate())
                            .optWeightDecay(context.recipe().weightDecayFor(this))
                            .build();
            logger.info("{}: {} epochs of regularised training, {}", name, context.recipe().epochs(), adam);
            ClassifierTraining.fit(
                    context.dense(),
                    context.data(),
                    context.recipe().epochs(),
                    context.batchSize(),
                    adam,
                    context.device(),
                    regularizedLoss.apply(graph),
                    context.checkpoints().phase(PhaseCheckpoints.REGULARIZED),
                    context.listenerArray());
        }
        CostModel cost = context.cost();
        float[][] scores = scorer.apply(graph, context.seed()).score(graph);
        ChannelMask mask =
                threshold != null
                        ? new GroupNormThreshold(threshold).select(graph, scores)
                        : context.selector().select(cost, context.budget(), scores);
        if (threshold != null && cost.ratio(context.budget().kind(), mask) > context.budget().target()) {
            logger.warn(
                    "The group-norm threshold {} keeps {} of the {}, above the budget {}",
                    threshold,
                    String.format("%.4f", cost.ratio(context.budget().kind(), mask)),
                    context.budget().kind().key(),
                    context.budget());
        }
        GatedNetwork network = GatedNetwork.of(context.dense().getBlock(), graph);
        network.getBlock().initialize(context.manager(), DataType.FLOAT32, context.data().batchShape(1));
        network.applyHardMask(mask);
        double validation = Evaluation.accuracy(network.getBlock(), context.data().validation(), context.manager());
        MaskPlan plan =
                MaskPlan.of(context.modelName(), name, cost, context.budget(), mask)
                        .withTraining(isRegularized() ? context.recipe().epochs() : 0, validation, null, null);
        return new MethodResult(plan, network.getBlock(), List.of());
    }

    @Override
    public String toString() {
        return threshold == null ? name : name + " (group-norm threshold " + threshold + ")";
    }
}
