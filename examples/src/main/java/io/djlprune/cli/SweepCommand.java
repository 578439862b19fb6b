package io.djlprune.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.Budget;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune sweep}: every method at every budget on one model with one recipe, each cell a complete
 * {@code prune} run in its own folder, summarised as {@code results.csv} and {@code results.md}. A dense model is
 * trained once and shared. An interrupted sweep resumes: finished cells (folders with a report) are not redone.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Run every method at every budget on one model; write results.csv and results.md; resumable.")
final class SweepCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(SweepCommand.class);

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "The catalog model.")
    String model;

    @Option(
            names = "--methods",
            split = ",",
            description = "Methods (default: ${DEFAULT-VALUE}).")
    List<String> methods = List.of("chipnet", "group-hs", "hs", "l1", "slimming", "group-lasso", "random");

    @Option(
            names = "--budgets",
            split = ",",
            paramLabel = "KIND=TARGET",
            description = "Budgets (default: ${DEFAULT-VALUE}).")
    List<String> budgets = List.of("flops=0.5", "flops=0.25", "flops=0.1", "flops=0.05");

    @Option(names = "--pretrain-epochs", description = "Epochs of the shared dense model (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs = 3;

    @Option(names = "--epochs", description = "Pruning epochs of every method (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--finetune-epochs", description = "Fine-tuning epochs of every cell (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs = 2;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The sweep folder.")
    Path output;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (pretrainEpochs < 1 || epochs < 1 || finetuneEpochs < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--pretrain-epochs and --epochs must be ≥ 1 and --finetune-epochs ≥ 0");
        }
        for (String method : methods) {
            try {
                PruningMethod.parse(method);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        for (String budget : budgets) {
            try {
                Budget.parse(budget);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Files.createDirectories(output);
        Path dense = output.resolve("dense");
        if (!Files.isRegularFile(dense.resolve("train-report.json"))) {
            logger.info("Training the shared dense {} for {} epochs", model, pretrainEpochs);
            run("train", "--model", model, "--epochs", String.valueOf(pretrainEpochs), "--output", dense.toString(),
                    "--overwrite");
        }
        int total = methods.size() * budgets.size();
        int cell = 0;
        List<String> failed = new ArrayList<>();
        for (String budget : budgets) {
            for (String method : methods) {
                cell++;
                Path dir = output.resolve(cellName(method, budget));
                if (Files.isRegularFile(dir.resolve(PruneCommand.REPORT_FILE))) {
                    logger.info("cell {}/{}: {} {} already done", cell, total, method, budget);
                    continue;
                }
                logger.info("cell {}/{}: {} at {}", cell, total, method, budget);
                int exit =
                        execute("prune", "--model", model, "--method", method, "--budget", budget, "--pretrained",
                                dense.toString(), "--epochs", String.valueOf(epochs), "--finetune-epochs",
                                String.valueOf(finetuneEpochs), "--output", dir.toString(), "--overwrite");
                if (exit != 0) {
                    failed.add(method + " " + budget);
                }
            }
        }
        writeTables();
        if (!failed.isEmpty()) {
            throw new IllegalStateException(
                    failed.size() + " cell(s) failed: " + String.join(", ", failed) + "; rerun the sweep to retry them");
        }
        return 0;
    }

    private void run(String... command) throws IOException {
        if (execute(command) != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed; see its error above");
        }
    }

    private int execute(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--data-dir", data.dataDir.toString(), "--batch-size", String.valueOf(data.batchSize),
                "--seed", String.valueOf(data.seed), "--device", device.device));
        if (data.limit != null) {
            args.addAll(List.of("--limit", String.valueOf(data.limit)));
        }
        if (data.augment) {
            args.add("--augment");
        }
        return DjlPrune.commandLine().execute(args.toArray(new String[0]));
    }

    static String cellName(String method, String budget) {
        return (method + "-" + budget.replace('=', '-')).toLowerCase(Locale.ROOT);
    }

    /** Summarises every finished cell (in method × budget order) as CSV and Markdown, each written atomically. */
    private void writeTables() throws IOException {
        StringBuilder csv =
                new StringBuilder("method,budget,achieved,parameters,flops,hard_mask_val_acc,test_acc,seconds\n");
        StringBuilder md =
                new StringBuilder(
                        "| method | budget | achieved | parameters | FLOPs | hard-mask val acc | test acc (fine-tuned) |"
                                + " seconds |\n|---|---|---|---|---|---|---|---|\n");
        for (String budget : budgets) {
            String kind = Budget.parse(budget).kind().key();
            for (String method : methods) {
                Path report = output.resolve(cellName(method, budget)).resolve(PruneCommand.REPORT_FILE);
                if (!Files.isRegularFile(report)) {
                    md.append("| ").append(method).append(" | ").append(budget).append(" | not run | | | | | |\n");
                    continue;
                }
                JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
                double achieved = json.getAsJsonObject("achieved").get(kind).getAsDouble();
                String row =
                        String.format(
                                Locale.ROOT, "%s,%s,%.4f,%d,%d,%.4f,%.4f,%.0f",
                                method, budget, achieved, json.get("parameters").getAsLong(),
                                json.get("flops").getAsLong(), json.get("validationAccuracy").getAsDouble(),
                                json.get("finalTestAccuracy").getAsDouble(), json.get("wallTimeSeconds").getAsDouble());
                csv.append(row).append('\n');
                md.append("| ").append(row.replace(",", " | ")).append(" |\n");
            }
        }
        AtomicFiles.write(output.resolve("results.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(output.resolve("results.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        logger.info("Sweep results: {}", output.resolve("results.md"));
    }
}
