package io.djlprune.export;

import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.mask.MaskPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON report stored inside an exported archive (as {@code extra/report.json}; in an ONNX file as the
 * {@code report.json} entry of {@code metadata_props}) and beside it: where the model came from and what it costs, so
 * a serving team can read the facts from the file itself.
 *
 * @param sourceModel the model name
 * @param method the pruning method
 * @param budget the budget as KIND=TARGET
 * @param achieved the exact cost ratios per budget kind
 * @param parameters trainable parameters of the exported model
 * @param flops FLOPs of one forward pass of one sample (a multiply-add counts 2)
 * @param validationAccuracy the plan's hard-mask validation accuracy, if known
 * @param testAccuracy the exported model's test accuracy, if measured
 * @param maxAbsDifference the largest absolute difference between the DJL block's output and the file's, run in
 *     LibTorch (a {@code .pt}) or ONNX Runtime (an {@code .onnx}, where it is stored in {@code metadata_props})
 */
public record ExportReport(
        String sourceModel,
        String method,
        String budget,
        Map<String, Double> achieved,
        long parameters,
        long flops,
        Double validationAccuracy,
        Double testAccuracy,
        double maxAbsDifference) {

    /**
     * Describes an exported network: its plan's provenance and achieved ratios, the exported network's own parameter
     * count and FLOPs, and the measured accuracies and difference.
     *
     * @param plan the mask plan the network was compacted with
     * @param cost the cost model of the compacted network itself
     * @param testAccuracy the measured test accuracy, or null
     * @param maxAbsDifference the largest difference between the file's runtime and DJL
     * @return the report
     */
    public static ExportReport of(MaskPlan plan, CostModel cost, Double testAccuracy, double maxAbsDifference) {
        Map<String, Double> achieved = new LinkedHashMap<>();
        for (BudgetKind kind : BudgetKind.values()) {
            if (plan.hasRatio(kind)) {
                achieved.put(kind.key(), plan.getRatio(kind));
            }
        }
        return new ExportReport(
                plan.getModel(), plan.getMethod(), plan.getBudget().toString(), achieved,
                cost.full(BudgetKind.PARAMETERS), cost.full(BudgetKind.FLOPS), plan.getValidationAccuracy(),
                testAccuracy, maxAbsDifference);
    }
}
