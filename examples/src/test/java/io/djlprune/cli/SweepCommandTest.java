package io.djlprune.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.Budget;
import io.djlprune.mask.ChannelOrder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/**
 * {@code djl-prune sweep}: every cell runs, the dense model is exported and timed like the cells, the tables and plots
 * list them, and a second run redoes and re-times nothing.
 */
public class SweepCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine commandLine = DjlPrune.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    public void sweepWritesEveryCellTimesItAndResumesWithoutRedoing() throws IOException {
        Path out = Files.createTempDirectory("sweep").resolve("lenet5");
        String[] args = {
            "sweep", "--model", "lenet5", "--methods", "l1,random", "--budgets", "flops=0.5,params=0.3",
            "--pretrain-epochs", "1", "--epochs", "1", "--finetune-epochs", "0", "--limit", "256", "--latency-batch",
            "8", "--latency-repeats", "3", "--output", out.toString()
        };
        StringWriter err = new StringWriter();
        Assert.assertEquals(run(err, args), 0, err.toString());

        List<String> csv = Files.readAllLines(out.resolve(SweepTable.CSV_FILE));
        Assert.assertEquals(csv.size(), 6, "header, dense and four cells:\n" + String.join("\n", csv));
        Assert.assertEquals(csv.get(0), SweepTable.CSV_HEADER);
        Map<String, String> dense = row(csv, 1);
        Assert.assertEquals(dense.get("method"), "dense");
        Assert.assertEquals(dense.get("flops_ratio"), "1.0000");
        Assert.assertEquals(dense.get("params_ratio"), "1.0000");
        JsonObject train = json(out.resolve("dense").resolve(DenseTorchScript.TRAIN_REPORT_FILE));
        Assert.assertEquals(dense.get("test_acc"), String.format(Locale.ROOT, "%.4f", train.get("testAccuracy").getAsDouble()));
        Assert.assertTrue(Files.isRegularFile(out.resolve("dense").resolve(PruneCommand.MODEL_FILE)), "the dense .pt");
        double denseMs = latencyMs(out.resolve("dense"));
        Assert.assertEquals(dense.get("latency_ms"), String.format(Locale.ROOT, "%.3f", denseMs));
        Assert.assertEquals(dense.get("latency_ratio"), "1.000");
        Assert.assertEquals(dense.get("latency_batch"), "8");

        String[][] cells = {{"l1", "flops=0.5"}, {"random", "flops=0.5"}, {"l1", "params=0.3"}, {"random", "params=0.3"}};
        for (int i = 0; i < cells.length; i++) {
            Map<String, String> cell = row(csv, i + 2);
            String method = cells[i][0];
            String budget = cells[i][1];
            Assert.assertEquals(cell.get("method") + " " + cell.get("budget"), method + " " + budget);
            Path dir = out.resolve(SweepCommand.cellName(method, budget));
            JsonObject achieved = json(dir.resolve(PruneCommand.REPORT_FILE)).getAsJsonObject("achieved");
            double flopsRatio = achieved.get("flops").getAsDouble();
            double paramsRatio = achieved.get("params").getAsDouble();
            Assert.assertEquals(cell.get("flops_ratio"), String.format(Locale.ROOT, "%.4f", flopsRatio));
            Assert.assertEquals(cell.get("params_ratio"), String.format(Locale.ROOT, "%.4f", paramsRatio));
            Assert.assertTrue(budget.startsWith("flops") ? flopsRatio <= 0.5 : paramsRatio <= 0.3, cell.toString());
            // the exported model costs what the plan says, relative to the exported dense model
            double exportedFlops = Double.parseDouble(cell.get("flops")) / Double.parseDouble(dense.get("flops"));
            Assert.assertEquals(exportedFlops, flopsRatio, 1e-4, cell.toString());
            double cellMs = latencyMs(dir);
            Assert.assertEquals(cell.get("latency_ms"), String.format(Locale.ROOT, "%.3f", cellMs));
            Assert.assertEquals(cell.get("latency_ratio"), String.format(Locale.ROOT, "%.3f", cellMs / denseMs));
            Assert.assertEquals(cell.get("latency_batch"), "8");
        }
        String md = Files.readString(out.resolve(SweepTable.MARKDOWN_FILE));
        Assert.assertTrue(md.contains("| latency ms (.pt, batch 8) | latency / dense |"), md);
        Assert.assertTrue(md.contains("| dense | — | dense | 1.0000 | 1.0000 |"), md);
        Assert.assertTrue(md.contains("| random | params=0.3 | completed |"), md);
        SweepPlotsTest.assertPng(out.resolve(SweepPlots.ACCURACY_FILE));
        SweepPlotsTest.assertPng(out.resolve(SweepPlots.LATENCY_FILE));

        // a second run redoes no cell and times no model again
        List<Path> kept = new ArrayList<>(List.of(out.resolve("dense").resolve(SweepLatency.FILE)));
        for (String[] cell : cells) {
            Path dir = out.resolve(SweepCommand.cellName(cell[0], cell[1]));
            kept.add(dir.resolve(PruneCommand.REPORT_FILE));
            kept.add(dir.resolve(SweepLatency.FILE));
        }
        Map<Path, String> before = identities(kept);
        Assert.assertEquals(run(new StringWriter(), args), 0);
        Assert.assertEquals(identities(kept), before, "finished cells are not redone and not timed again");
        Assert.assertEquals(Files.readAllLines(out.resolve(SweepTable.CSV_FILE)), csv);

        // timing at another batch size times every model again, so dense and cells still compare like with like
        String[] otherBatch = args.clone();
        otherBatch[Arrays.asList(args).indexOf("--latency-batch") + 1] = "4";
        Assert.assertEquals(run(new StringWriter(), otherBatch), 0);
        for (Path file : kept) {
            if (file.endsWith(SweepLatency.FILE)) {
                Assert.assertEquals(json(file).get("batchSize").getAsLong(), 4L, file.toString());
            } else {
                Assert.assertEquals(identity(file), before.get(file), "cells are not redone for a new timing");
            }
        }
        Assert.assertTrue(Files.readString(out.resolve(SweepTable.MARKDOWN_FILE)).contains("(.pt, batch 4)"));
    }

    @Test
    public void recipeOptionsReachEveryCellsPrune() throws IOException {
        SweepCommand sweep = new SweepCommand();
        new CommandLine(sweep)
                .parseArgs("--model", "lenet5", "--output", "x", "--lr", "0.002", "--finetune-lr", "0.05", "--alpha",
                        "0.0003", "--lambda", "2e-5", "--anneal", "step", "--psi-init", "l1", "--psi-lr", "0.05",
                        "--budget-on", "gate", "--order", "volume", "--round-to", "16", "--kept-scale", "one",
                        "--hard-finish", "0.25");
        PruneRun hs = sweep.cells().cellRun(MethodChoice.HS, "flops=0.25");
        Assert.assertEquals(hs.recipe().learningRate(), 0.002f);
        Assert.assertEquals(hs.recipe().epochs(), SweepCells.DEFAULT_EPOCHS, "a sweep's cells prune 3 epochs unless told");
        Assert.assertEquals(hs.fineTuning().learningRate(), 0.05f);
        Assert.assertEquals(hs.method().getName(), "hs");
        Assert.assertEquals(hs.order(), ChannelOrder.VOLUME_NORMALIZED);
        Assert.assertEquals(hs.roundTo(), 16);
        Assert.assertEquals(hs.budget(), Budget.parse("flops=0.25"));
        Assert.assertEquals(sweep.pruning.alpha, 0.0003f);
        Assert.assertEquals(sweep.pruning.lambda, 2e-5f);
        String chipnet = sweep.cells().cellRun(MethodChoice.CHIPNET, "flops=0.25").method().toString();
        for (String knob : List.of("budget on gate", "kept scale one", "hard finish 0.25", "ψ from l1", "ψ lr 0.05",
                "γ per step")) {
            Assert.assertTrue(chipnet.contains(knob), knob + " reaches the ChipNet cells: " + chipnet);
        }
        Map<String, String> settings = sweep.cells().cellSettings(MethodChoice.HS, "flops=0.25");
        Assert.assertEquals(settings.get("--method"), "hs");
        Assert.assertEquals(settings.get("--budget"), "flops=0.25");
        Assert.assertEquals(settings.get("--lr"), "0.002");
        Assert.assertFalse(settings.containsKey("--budgets"), "a cell resumes whatever the sweep's lists");

        SweepCommand defaults = new SweepCommand();
        new CommandLine(defaults).parseArgs("--model", "lenet5", "--output", "x");
        PruneRun plain = defaults.cells().cellRun(MethodChoice.L1, "flops=0.5");
        PruneRun alone = pruneRun("--model", "lenet5", "--budget", "flops=0.5", "--method", "l1");
        Assert.assertEquals(plain.recipe().learningRate(), alone.recipe().learningRate(), "unset knobs keep prune's defaults");
        Assert.assertEquals(plain.recipe().weightDecay(), alone.recipe().weightDecay());
        Assert.assertEquals(plain.fineTuning(), alone.fineTuning());
        Assert.assertEquals(plain.method().toString(), alone.method().toString());
        Assert.assertEquals(
                defaults.cells().cellRun(MethodChoice.CHIPNET, "flops=0.5").method().toString(),
                pruneRun("--model", "lenet5", "--budget", "flops=0.5").method().toString(),
                "a ChipNet cell is prune's ChipNet");
        Assert.assertEquals(
                defaults.budgets,
                List.of("flops=0.5", "flops=0.25", "flops=0.1", "flops=0.05", "params=0.5", "params=0.25", "params=0.1",
                        "params=0.05"));
    }

    @Test
    public void badOptionsAreUsageErrorsBeforeAnyWork() throws IOException {
        Path out = Files.createTempDirectory("sweep").resolve("x");
        StringWriter err = new StringWriter();
        Assert.assertEquals(
                run(err, "sweep", "--model", "lenet5", "--methods", "l1,magic", "--output", out.toString()),
                CommandLine.ExitCode.USAGE);
        Assert.assertTrue(err.toString().contains("Unknown method 'magic'"), err.toString());
        err = new StringWriter();
        Assert.assertEquals(
                run(err, "sweep", "--model", "lenet5", "--budgets", "flops=2", "--output", out.toString()),
                CommandLine.ExitCode.USAGE);
        String[][] refused = {
            {"--latency-batch", "0", "--latency-batch must be ≥ 1, got 0"},
            {"--latency-repeats", "0", "--latency-repeats must be ≥ 1, got 0"},
            // the knobs passed on to prune are checked by prune, before the sweep starts
            {"--lr", "0", "--lr must be > 0"},
            {"--finetune-lr", "-1", "--finetune-lr > 0"},
            {"--alpha", "-0.1", "--alpha must be ≥ 0, got -0.1"},
            {"--lambda", "NaN", "--lambda must be ≥ 0, got NaN"},
            {"--order", "fastest", "Unknown channel order 'fastest'"},
            {"--round-to", "0", "--round-to must be ≥ 1 channel"},
            {"--psi-lr", "fast", "--psi-lr"},
            {"--budget-on", "flops", "Unknown budget count 'flops'"},
            {"--anneal", "daily", "Unknown --anneal 'daily'"},
            {"--psi-init", "zeros", "Unknown --psi-init 'zeros'"},
            {"--kept-scale", "two", "Unknown --kept-scale 'two'"},
            {"--hard-finish", "1.5", "--hard-finish is a share of the pruning steps in [0, 1)"}
        };
        for (String[] option : refused) {
            err = new StringWriter();
            Assert.assertEquals(
                    run(err, "sweep", "--model", "lenet5", option[0], option[1], "--output", out.toString()),
                    CommandLine.ExitCode.USAGE,
                    option[0]);
            Assert.assertTrue(err.toString().contains(option[2]), err.toString());
        }
        Assert.assertFalse(Files.exists(out));
    }

    /** The run prune makes of a command line. */
    private static PruneRun pruneRun(String... args) throws IOException {
        PruneCommand prune = new PruneCommand();
        new CommandLine(prune).parseArgs(args);
        return prune.checkOptions();
    }

    /** The CSV line as column → value. */
    private static Map<String, String> row(List<String> csv, int line) {
        String[] names = csv.get(0).split(",", -1);
        String[] values = csv.get(line).split(",", -1);
        Assert.assertEquals(values.length, names.length, csv.get(line));
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], values[i]);
        }
        return row;
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private static double latencyMs(Path dir) throws IOException {
        JsonObject latency = json(dir.resolve(SweepLatency.FILE));
        Assert.assertEquals(latency.get("batchSize").getAsLong(), 8L);
        Assert.assertEquals(latency.get("repeats").getAsInt(), 3);
        double median = latency.get("medianMs").getAsDouble();
        Assert.assertTrue(median > 0 && latency.get("minMs").getAsDouble() <= median, latency.toString());
        return median;
    }

    /** A file's inode and modification time: a file written again (atomically, as a new file) changes both. */
    private static String identity(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.fileKey() + "@" + attributes.lastModifiedTime().toMillis();
    }

    private static Map<Path, String> identities(List<Path> files) throws IOException {
        Map<Path, String> identities = new HashMap<>();
        for (Path file : files) {
            identities.put(file, identity(file));
        }
        return identities;
    }
}
