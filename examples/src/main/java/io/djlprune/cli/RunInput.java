package io.djlprune.cli;

import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.djlprune.data.DataSplits;
import io.djlprune.zoo.data.FashionMnist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the model of a finished {@code prune} run takes and gives, read from its {@code prune-report.json}: the shape
 * of one sample, the class count and the class names. {@code export --from} rebuilds the dense model with them (it has
 * no data of its own), and {@code finetune --from} refuses data of another shape or class count.
 *
 * @param sampleShape the shape of one sample, channels first
 * @param classes the number of classes
 * @param classNames the class names by index, empty when unnamed
 */
record RunInput(Shape sampleShape, int classes, List<String> classNames) {

    private static final Gson GSON = new Gson();

    /** The fields of {@code prune-report.json} this reads; Gson skips the others. */
    private record StoredInput(String dataset, Integer classes, List<String> classNames, long[] inputShape) {}

    /**
     * Reads the run's input from its report.
     *
     * <p>Reports written before the report recorded the shape name their dataset only; Fashion-MNIST's shape and class
     * count are fixed, so such a report still gives them, and any other data is refused.
     *
     * @param runDir the prune output folder
     * @return the run's input
     * @throws IOException if the report is missing, unreadable, or does not say what the model takes
     */
    static RunInput read(Path runDir) throws IOException {
        Path file = runDir.resolve(PruneCommand.REPORT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("No " + PruneCommand.REPORT_FILE + " in " + runDir
                    + ": give --from the output folder of a completed 'djl-prune prune' run");
        }
        StoredInput report;
        try {
            report = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), StoredInput.class);
        } catch (JsonParseException e) {
            throw new IOException(file + " is not a prune report (" + e.getMessage() + "); run 'djl-prune prune' again",
                    e);
        }
        if (report == null) {
            throw new IOException(file + " is not a prune report (it is empty); run 'djl-prune prune' again");
        }
        List<String> names = report.classNames() == null ? List.of() : List.copyOf(report.classNames());
        if (report.inputShape() != null && report.classes() != null) {
            return new RunInput(new Shape(report.inputShape()), report.classes(), names);
        }
        if ("fashion-mnist".equals(report.dataset())) {
            return new RunInput(new Shape(1, FashionMnist.SIDE, FashionMnist.SIDE), FashionMnist.CLASSES, names);
        }
        throw new IOException(file + " does not record the input shape and class count of its data (dataset "
                + (report.dataset() == null ? "unknown" : report.dataset()) + "; written by an older djl-prune): run"
                + " 'djl-prune prune' again to export it");
    }

    /**
     * Refuses data that the run's model was not made for.
     *
     * @param splits the data
     * @param runDir the run folder, for the message
     * @throws IllegalArgumentException if the sample shape, the class count or the class names differ
     */
    void check(DataSplits splits, Path runDir) {
        if (!classNames.isEmpty() && !splits.classNames().isEmpty() && !classNames.equals(splits.classNames())) {
            throw new IllegalArgumentException("The run in " + runDir + " was pruned on the classes " + classNames
                    + ", but the data has " + splits.classNames() + "; give the data it was pruned on");
        }
        if (!splits.sampleShape().equals(sampleShape) || splits.classes() != classes) {
            throw new IllegalArgumentException("The run in " + runDir + " was pruned on samples of shape "
                    + sampleShape + " with " + classes + " classes, but the data gives " + splits.sampleShape()
                    + " with " + splits.classes() + "; give the data (and --image-size) it was pruned on");
        }
    }
}
