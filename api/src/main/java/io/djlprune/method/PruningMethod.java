package io.djlprune.method;

import ai.djl.MalformedModelException;
import ai.djl.translate.TranslateException;
import io.djlprune.mask.ChannelOrder;
import java.io.IOException;

/**
 * A structured-pruning method: an optional training-time part (ChipNet's gates, a sparsity regulariser) and what it
 * hands the budget-exact selector (a learned mask, or channel scores). Every method ends in the same {@link
 * io.djlprune.mask.MaskPlan}, so one compactor, fine-tuning and exporter serve them all.
 *
 * <p>Implementations: {@link ChipNetMethod}; {@link ScoringMethod} for L1, random, Group-HS, HS, slimming and group
 * lasso; {@link PlanTransfer} for a plan learned elsewhere.
 */
public interface PruningMethod {

    /**
     * Returns the method's name, recorded in the plan and the report.
     *
     * @return e.g. "chipnet" or "l1"
     */
    String getName();

    /**
     * The order in which the selector gives up channels unless the user chooses one.
     *
     * @return the order
     */
    ChannelOrder defaultOrder();

    /**
     * The weight decay of the method's training phase in its reference code.
     *
     * @return the decay
     */
    float referenceWeightDecay();

    /**
     * Finds the mask: trains where the method trains, then selects channels at the budget.
     *
     * @param context the dense model, data, budget and recipe
     * @return the plan and the masked network
     * @throws IOException if the data or a checkpoint cannot be read
     * @throws TranslateException if the data pipeline fails
     * @throws MalformedModelException if saved weights do not fit the model
     */
    MethodResult prune(PruningContext context) throws IOException, TranslateException, MalformedModelException;
}
