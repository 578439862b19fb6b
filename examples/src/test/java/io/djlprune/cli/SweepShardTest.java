package io.djlprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/**
 * {@code sweep --shard} and {@code --merge}: the shares partition the cells, a shard runs only its own, and the tables
 * merged from shard folders are the unsharded sweep's.
 */
public class SweepShardTest {

    private static final String[] SWEEP = {
        "sweep", "--model", "lenet5", "--methods", "l1,random", "--budgets", "flops=0.5,params=0.3",
        "--pretrain-epochs", "1", "--epochs", "1", "--finetune-epochs", "0", "--limit", "256", "--latency-batch", "8",
        "--latency-repeats", "3"
    };

    @Test
    public void sharesPartitionTheCells() {
        for (int count = 1; count <= 5; count++) {
            for (int cells = 0; cells <= 23; cells++) {
                for (int cell = 0; cell < cells; cell++) {
                    int owners = 0;
                    for (int index = 0; index < count; index++) {
                        owners += new SweepShard(index, count).contains(cell) ? 1 : 0;
                    }
                    Assert.assertEquals(owners, 1, "cell " + cell + " of " + cells + " in " + count + " shares");
                }
            }
        }
    }

    @Test
    public void shardIsParsedFromTheOptionOrTheIndexedJobsVariable() {
        Assert.assertEquals(SweepShard.parse("2/3", Map.of()), new SweepShard(2, 3));
        Assert.assertEquals(SweepShard.parse("4", Map.of(SweepShard.INDEX_VARIABLE, "1")), new SweepShard(1, 4));
        Assert.assertEquals(
                SweepShard.parse("0/2", Map.of(SweepShard.INDEX_VARIABLE, "1")), new SweepShard(0, 2), "explicit I wins");
        String unset = Assert.expectThrows(IllegalArgumentException.class, () -> SweepShard.parse("4", Map.of())).getMessage();
        Assert.assertTrue(unset.contains(SweepShard.INDEX_VARIABLE), unset);
        for (String bad : new String[] {"3/3", "-1/2", "a/b", "1/2/3", "0/0"}) {
            Assert.expectThrows(IllegalArgumentException.class, () -> SweepShard.parse(bad, Map.of()));
        }
        StringWriter err = new StringWriter();
        Assert.assertEquals(run(err, "sweep", "--model", "lenet5", "--shard", "2/2", "--output", "x"), CommandLine.ExitCode.USAGE);
        Assert.assertTrue(err.toString().contains("--shard I/N needs"), err.toString());
    }

    @Test
    public void shardRunsItsCellsAndMergedSharesEqualTheUnshardedSweep() throws IOException {
        Path root = Files.createTempDirectory("sweep-shards");
        Path whole = root.resolve("whole");
        StringWriter err = new StringWriter();
        Assert.assertEquals(run(err, with(SWEEP, "--output", whole.toString())), 0, err.toString());

        // a real shard: cells 1 and 3 of 4 (random at both budgets), nothing else
        Path shardRun = root.resolve("shard-1");
        Assert.assertEquals(run(err, with(SWEEP, "--shard", "1/2", "--output", shardRun.toString())), 0, err.toString());
        Assert.assertEquals(
                cellFolders(shardRun),
                List.of(SweepCommand.cellName("random", "flops=0.5"), SweepCommand.cellName("random", "params=0.3")));
        Assert.assertEquals(Files.readAllLines(shardRun.resolve(SweepTable.CSV_FILE)).size(), 4, "header, dense, 2 cells");

        // the unsharded sweep's cells, split as two shards would have run them, merge back into its tables
        String[][] cells = {{"l1", "flops=0.5"}, {"random", "flops=0.5"}, {"l1", "params=0.3"}, {"random", "params=0.3"}};
        Path[] shares = {root.resolve("share-0"), root.resolve("share-1")};
        for (Path share : shares) {
            copy(whole.resolve(SweepRow.DENSE), share.resolve(SweepRow.DENSE));
        }
        for (int k = 0; k < cells.length; k++) {
            String name = SweepCommand.cellName(cells[k][0], cells[k][1]);
            copy(whole.resolve(name), shares[k % 2].resolve(name));
        }
        Path merged = root.resolve("merged");
        String[] merge = {
            "sweep", "--methods", "l1,random", "--budgets", "flops=0.5,params=0.3", "--merge", shares[0].toString(),
            shares[1].toString(), "--output", merged.toString()
        };
        Assert.assertEquals(run(err, merge), 0, err.toString());
        Assert.assertEquals(
                Files.readAllLines(merged.resolve(SweepTable.CSV_FILE)), Files.readAllLines(whole.resolve(SweepTable.CSV_FILE)));
        Assert.assertEquals(
                Files.readString(merged.resolve(SweepTable.MARKDOWN_FILE)),
                Files.readString(whole.resolve(SweepTable.MARKDOWN_FILE)));
        SweepPlotsTest.assertPng(merged.resolve(SweepPlots.ACCURACY_FILE));

        // a cell finished in two folders is refused, naming it
        StringWriter twice = new StringWriter();
        merge[6] = whole.toString();
        Assert.assertNotEquals(run(twice, merge), 0);
        Assert.assertTrue(twice.toString().contains("was finished in both"), twice.toString());
    }

    private static String[] with(String[] base, String... more) {
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return args;
    }

    private static List<String> cellFolders(Path sweep) throws IOException {
        try (Stream<Path> entries = Files.list(sweep)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(SweepRow.DENSE) && !name.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int run(StringWriter err, String... args) {
        CommandLine commandLine = DjlPrune.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
