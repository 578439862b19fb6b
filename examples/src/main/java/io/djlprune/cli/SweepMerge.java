package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import io.djlprune.engine.Latency;
import io.djlprune.export.ExportReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one sweep's tables and plots from the folders of its shards ({@code sweep --shard}): every cell is taken from
 * the one shard that ran it, in the sweep's order, so the result is the table an unsharded sweep writes. Nothing is
 * trained or timed again; a cell that two shards both finished is refused rather than guessed.
 */
final class SweepMerge {

    private static final Logger logger = LoggerFactory.getLogger(SweepMerge.class);

    private SweepMerge() {}

    /**
     * Merges shard folders into one sweep folder.
     *
     * @param shards the shard folders, each the output of one {@code sweep --shard}
     * @param output where the tables and plots go
     * @param methods the sweep's methods, in its order
     * @param budgets the sweep's budgets, in its order
     * @param device where to read the dense model's report from its {@code .pt}
     * @throws IOException if a folder cannot be read, a cell is in two shards, or no shard has the dense model
     * @throws MalformedModelException if the dense {@code .pt} cannot be read
     */
    static void write(List<Path> shards, Path output, List<String> methods, List<String> budgets, Device device)
            throws IOException, MalformedModelException {
        SweepRow dense = denseRow(shards, device);
        List<SweepRow> cells = new ArrayList<>();
        for (String budget : budgets) {
            for (String method : methods) {
                Path dir = cellFolder(shards, SweepCommand.cellName(method, budget));
                if (dir == null) {
                    cells.add(SweepRow.notRun(method, budget));
                } else {
                    Latency latency = SweepLatency.read(dir).orElse(null);
                    cells.add(SweepRow.cell(method, budget, dir.resolve(PruneCommand.REPORT_FILE), latency));
                }
            }
        }
        Files.createDirectories(output);
        SweepTable.write(output, dense, cells);
        SweepPlots.write(output, dense, cells);
        logger.info("Merged {} shard(s) into {}", shards.size(), output.resolve(SweepTable.MARKDOWN_FILE));
    }

    /** The dense row from the first shard that has the dense model (every shard trains the same one). */
    private static SweepRow denseRow(List<Path> shards, Device device) throws IOException, MalformedModelException {
        for (Path shard : shards) {
            Path denseDir = shard.resolve(SweepRow.DENSE);
            if (Files.isRegularFile(denseDir.resolve(DenseTorchScript.TRAIN_REPORT_FILE))
                    && Files.isRegularFile(denseDir.resolve(PruneCommand.MODEL_FILE))) {
                ExportReport export = DenseTorchScript.exportOnce(denseDir, device);
                return SweepRow.dense(
                        DenseTorchScript.readTrainReport(denseDir), export, SweepLatency.read(denseDir).orElse(null));
            }
        }
        throw new IOException("None of " + shards + " holds a trained and exported dense model (" + SweepRow.DENSE
                + "/): is each a 'sweep --shard' output folder?");
    }

    /** The one shard folder that finished a cell, or null. */
    private static Path cellFolder(List<Path> shards, String name) throws IOException {
        Path found = null;
        for (Path shard : shards) {
            Path dir = shard.resolve(name);
            if (Files.isRegularFile(dir.resolve(PruneCommand.REPORT_FILE))) {
                if (found != null) {
                    throw new IOException(
                            "Cell " + name + " was finished in both " + found + " and " + dir
                                    + ": merge shards of one sweep (each cell in one shard), or remove one");
                }
                found = dir;
            }
        }
        return found;
    }
}
