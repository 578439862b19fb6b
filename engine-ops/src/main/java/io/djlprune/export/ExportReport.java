package io.djlprune.export;

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
        double maxAbsDifference) {}
