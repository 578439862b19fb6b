package io.djlprune.export;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.compact.CompactionResult;
import io.djlprune.cost.CostModel;
import io.djlprune.io.AtomicFiles;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a compacted model as a verified TorchScript {@code .pt}: writes the archive (with the mask plan and an
 * {@link ExportReport} inside as extra files) to a temporary file, loads it back through LibTorch, compares it with the
 * DJL block on random inputs, and only then moves it into place. A file that does not match is never left behind.
 */
public final class TorchScriptExport implements CompactModelExporter {

    /** The name of the mask plan inside the archive ({@code extra/mask_plan.json}). */
    public static final String PLAN_ENTRY = "mask_plan.json";

    /** The name of the report inside the archive ({@code extra/report.json}). */
    public static final String REPORT_ENTRY = "report.json";

    /**
     * The name of the class names inside the archive ({@code extra/classes.json}): a JSON array, the name of output
     * {@code i} at index {@code i}; written only when the names are known ({@link #withClassNames}).
     */
    public static final String CLASSES_ENTRY = "classes.json";

    private static final Logger logger = LoggerFactory.getLogger(TorchScriptExport.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Path target;
    private final OpClassifier classifier;
    private final double tolerance;
    private Double testAccuracy;
    private ExportReport lastReport;
    private List<String> classNames = List.of();

    /**
     * Creates the exporter.
     *
     * @param target the {@code .pt} file to write
     * @param classifier the classifier that describes the blocks (the one the graph was built with)
     * @param tolerance the largest accepted difference between LibTorch's and DJL's outputs
     */
    public TorchScriptExport(Path target, OpClassifier classifier, double tolerance) {
        this.target = target;
        this.classifier = classifier;
        this.tolerance = tolerance;
    }

    /**
     * Records a measured test accuracy to put in the report.
     *
     * @param testAccuracy the accuracy
     * @return this exporter
     */
    public TorchScriptExport withTestAccuracy(double testAccuracy) {
        this.testAccuracy = testAccuracy;
        return this;
    }

    /**
     * Records the class names to store as {@value #CLASSES_ENTRY}, so a user of the file can name its outputs.
     *
     * @param classNames the name of output {@code i} at index {@code i}; empty for none
     * @return this exporter
     */
    public TorchScriptExport withClassNames(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
        return this;
    }

    /**
     * Returns the report of the last export.
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
        CostModel cost = compact.cost(inputShape, classifier);
        Path absolute = target.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            // first pass: the archive without the report, to measure the difference the report records
            double difference = writeAndVerify(block, inputShape, temp, plan, null);
            lastReport = ExportReport.of(plan, cost, testAccuracy, difference);
            writeAndVerify(block, inputShape, temp, plan, lastReport);
            AtomicFiles.moveIntoPlace(temp, absolute);
            logger.info(
                    "Exported {} ({} parameters, {} FLOPs) to {}; LibTorch matches DJL within {}",
                    plan.getModel(), lastReport.parameters(), lastReport.flops(), absolute,
                    String.format("%.2e", difference));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private double writeAndVerify(Block block, Shape inputShape, Path file, MaskPlan plan, ExportReport report)
            throws IOException {
        Map<String, byte[]> extras = new LinkedHashMap<>();
        extras.put(PLAN_ENTRY, MaskPlanJson.toJson(plan).getBytes(StandardCharsets.UTF_8));
        if (report != null) {
            extras.put(REPORT_ENTRY, GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
        }
        if (!classNames.isEmpty()) {
            extras.put(CLASSES_ENTRY, GSON.toJson(classNames).getBytes(StandardCharsets.UTF_8));
        }
        TorchScriptWriter.write(block, inputShape, classifier, file, extras);
        Shape batch = new Shape(2).addAll(inputShape.slice(1));
        try (NDManager manager = NDManager.newBaseManager(block.getParameters().isEmpty()
                ? ai.djl.Device.cpu()
                : block.getParameters().valueAt(0).getArray().getDevice())) {
            NDList inputs = new NDList(manager.randomNormal(batch));
            return new TorchScriptVerifier(tolerance).verify(file, block, inputs);
        } catch (MalformedModelException e) {
            throw new IOException("LibTorch refused the archive just written for " + plan.getModel() + ": " + e.getMessage(), e);
        }
    }
}
