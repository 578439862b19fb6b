package io.djlprune.method;

import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslateException;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.cost.Budget;
import io.djlprune.cost.CostModel;
import io.djlprune.gate.HeavisideProjection;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskSelector;
import io.djlprune.training.Evaluation;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a plan learned elsewhere (same architecture, any data) instead of learning one. A plan with ChipNet's gate
 * values ψ is re-derived at the run's budget by the run's selector; a plan without them is applied as it is, and its
 * own budget is recorded.
 */
public final class PlanTransfer implements PruningMethod {

    private static final Logger logger = LoggerFactory.getLogger(PlanTransfer.class);

    private final MaskPlan source;
    private final String origin;

    /**
     * Creates the transfer.
     *
     * @param source the plan to transfer
     * @param origin where it came from, for the log and the report (e.g. its file)
     */
    public PlanTransfer(MaskPlan source, String origin) {
        if (source == null) {
            throw new IllegalArgumentException("The plan to transfer must not be null");
        }
        this.source = source;
        this.origin = origin;
    }

    /**
     * Returns where the plan came from.
     *
     * @return the origin given at construction
     */
    public String getOrigin() {
        return origin;
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "transfer:" + source.getMethod();
    }

    /** {@inheritDoc} */
    @Override
    public ChannelOrder defaultOrder() {
        return ChannelOrder.SOFT_SHARE;
    }

    /** {@inheritDoc} */
    @Override
    public float referenceWeightDecay() {
        return 0f;
    }

    /** {@inheritDoc} */
    @Override
    public MethodResult prune(PruningContext context) throws IOException, TranslateException {
        CostModel cost = context.cost();
        boolean hasPsi = source.hasPsi();
        ChannelMask mask =
                hasPsi
                        ? rederive(source, cost, context.budget(), context.selector())
                        : source.transferTo(context.graph());
        Budget recorded = hasPsi ? context.budget() : source.getBudget();
        GatedNetwork network = GatedNetwork.of(context.dense().getBlock(), context.graph());
        network.getBlock().initialize(context.manager(), DataType.FLOAT32, context.data().batchShape(1));
        network.applyHardMask(mask);
        double validation = Evaluation.accuracy(network.getBlock(), context.data().validation(), context.manager());
        MaskPlan plan =
                MaskPlan.of(
                                context.modelName(),
                                getName(),
                                cost,
                                recorded,
                                mask,
                                hasPsi ? source.psi(context.graph()) : null)
                        .withTraining(0, validation, null, null);
        logger.info(
                "Transferred {} from {} ({}): {} = {}",
                hasPsi ? "gates ψ" : "the mask",
                origin,
                source.getModel(),
                recorded.kind().key(),
                String.format("%.4f", plan.getAchievedRatio()));
        return new MethodResult(plan, network.getBlock(), List.of());
    }

    /**
     * Re-derives a mask on the same architecture for a new budget from a plan's ψ, as the reference ChipNet transfer
     * does (it copies ψ, not the mask). With the plan's β and γ the selector also gets the gate values z(ψ), which the
     * {@link ChannelOrder#PREFERRED_FIRST} and {@link ChannelOrder#SOFT_SHARE} orders use.
     *
     * @param plan the plan with ψ
     * @param cost the target model's cost model
     * @param budget the new budget
     * @param selector the selector
     * @return the mask
     * @throws IllegalArgumentException if the plan holds no ψ or the prunable structure differs
     */
    public static ChannelMask rederive(MaskPlan plan, CostModel cost, Budget budget, MaskSelector selector) {
        float[][] psi = plan.psi(cost.getGraph());
        return selector.select(cost, budget, psi, gateValues(plan, psi));
    }

    /** z(ψ) under the plan's final β and γ, or null if the plan does not record them. */
    private static float[][] gateValues(MaskPlan plan, float[][] psi) {
        if (plan.getBeta() == null || plan.getGamma() == null) {
            return null;
        }
        HeavisideProjection projection = new HeavisideProjection(plan.getBeta(), plan.getGamma());
        float[][] z = new float[psi.length][];
        for (int g = 0; g < psi.length; g++) {
            if (psi[g] != null) {
                z[g] = new float[psi[g].length];
                for (int c = 0; c < z[g].length; c++) {
                    z[g][c] = (float) projection.gate(psi[g][c]);
                }
            }
        }
        return z;
    }
}
