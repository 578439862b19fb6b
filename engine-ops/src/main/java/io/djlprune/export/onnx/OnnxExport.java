package io.djlprune.export.onnx;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.compact.CompactionResult;
import io.djlprune.cost.CostModel;
import io.djlprune.export.ExportReport;
import io.djlprune.export.onnx.proto.GraphProto;
import io.djlprune.io.AtomicFiles;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a compacted model as a verified ONNX file (opset {@value OnnxWriter#OPSET}, one float32 input
 * {@code input} of shape {@code (N, …)} and one output {@code output}), the ONNX counterpart of {@code TorchScriptExport}: writes the model
 * with the mask plan, an {@link ExportReport} and the class names (when known) in its {@code metadata_props} to a temporary file, runs it in ONNX
 * Runtime and the DJL block in DJL on the same fixed random batch, and only if they agree within the tolerance
 * ({@link OnnxVerifier}) moves it into place. A file that does not match is deleted and the export fails with an
 * {@link io.djlprune.export.ExportMismatchException} naming the largest difference; a block the writer cannot express
 * is refused with an {@link io.djlprune.export.UnsupportedExportException} before anything is written.
 *
 * <p>Batch normalisation is written as its own inference {@code BatchNormalization} node, not folded into the
 * convolution before it: the file keeps the DJL network's layers one to one, and ONNX Runtime folds the two itself
 * when it loads the model.
 *
 * <pre>
 * new OnnxExport(Path.of("model.onnx"), classifier, 1e-5).export(compact, plan, new Shape(1, 3, 32, 32));
 * </pre>
 */
public final class OnnxExport implements CompactModelExporter {

    /** The metadata key of the mask plan JSON. */
    public static final String PLAN_KEY = "mask_plan.json";

    /** The metadata key of the export report JSON. */
    public static final String REPORT_KEY = "report.json";

    /**
     * The metadata key of the class names: a JSON array, the name of output {@code i} at index {@code i}; written only
     * when the names are known ({@link #withClassNames}). The same name as the TorchScript archive's entry.
     */
    public static final String CLASSES_KEY = "classes.json";

    /** The batch size of the verification batch. */
    public static final int VERIFY_BATCH = 2;

    private static final Logger logger = LoggerFactory.getLogger(OnnxExport.class);
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Path target;
    private final OpClassifier classifier;
    private final OnnxVerifier verifier;
    private Double testAccuracy;
    private ExportReport lastReport;
    private List<String> classNames = List.of();

    /**
     * Creates the exporter.
     *
     * @param target the {@code .onnx} file to write
     * @param classifier the classifier that describes the blocks (the one the graph was built with)
     * @param tolerance the largest accepted difference between ONNX Runtime's and DJL's outputs (absolute for outputs
     *     up to 1 in magnitude, relative to the largest output above; see {@link OnnxVerifier})
     */
    public OnnxExport(Path target, OpClassifier classifier, double tolerance) {
        this.target = target;
        this.classifier = classifier;
        this.verifier = new OnnxVerifier(tolerance);
    }

    /**
     * Records a measured test accuracy to put in the report.
     *
     * @param testAccuracy the accuracy
     * @return this exporter
     */
    public OnnxExport withTestAccuracy(double testAccuracy) {
        this.testAccuracy = testAccuracy;
        return this;
    }

    /**
     * Records the class names to store under {@value #CLASSES_KEY}, so a user of the file can name its outputs.
     *
     * @param classNames the name of output {@code i} at index {@code i}; empty for none
     * @return this exporter
     */
    public OnnxExport withClassNames(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
        return this;
    }

    /**
     * Returns the report of the last export; its {@code maxAbsDifference} is ONNX Runtime's against DJL.
     *
     * @return the report, or null before any export
     */
    public ExportReport getLastReport() {
        return lastReport;
    }

    /** {@inheritDoc} */
    @Override
    public void export(CompactionResult compact, MaskPlan plan, Shape inputShape, double testAccuracy)
            throws IOException {
        withTestAccuracy(testAccuracy).export(compact, plan, inputShape);
    }

    /** {@inheritDoc} */
    @Override
    public void export(CompactionResult compact, MaskPlan plan, Shape inputShape) throws IOException {
        Block block = compact.block();
        // the whole graph is translated (and anything unsupported refused) before a file exists
        GraphProto graph = new OnnxGraphBuilder(classifier).build(block, inputShape, plan.getModel());
        CostModel cost = compact.cost(inputShape, classifier);
        String planJson = MaskPlanJson.toJson(plan);
        Shape batch = new Shape(VERIFY_BATCH).addAll(inputShape.slice(1));
        Path absolute = target.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            // first the model without the report, to measure the difference the report records
            OnnxWriter.write(OnnxWriter.model(graph, metadata(planJson, null)), temp);
            OnnxVerifier.Result first = verifier.verify(temp, block, batch);
            lastReport = ExportReport.of(plan, cost, testAccuracy, first.maxAbsDifference());
            OnnxWriter.write(OnnxWriter.model(graph, metadata(planJson, GSON.toJson(lastReport))), temp);
            OnnxVerifier.Result last = verifier.verify(temp, block, batch);
            AtomicFiles.makeReadable(temp, false);
            AtomicFiles.moveIntoPlace(temp, absolute);
            logger.info(
                    "Exported {} ({} parameters, {} FLOPs) to {} as ONNX opset {}; ONNX Runtime matches DJL within {}"
                            + " (absolute {})",
                    plan.getModel(), lastReport.parameters(), lastReport.flops(), absolute, OnnxWriter.OPSET,
                    String.format("%.2e", last.maxDifference()), String.format("%.2e", last.maxAbsDifference()));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Map<String, String> metadata(String planJson, String reportJson) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(PLAN_KEY, planJson);
        if (reportJson != null) {
            metadata.put(REPORT_KEY, reportJson);
        }
        if (!classNames.isEmpty()) {
            metadata.put(CLASSES_KEY, GSON.toJson(classNames));
        }
        return metadata;
    }
}
