package io.djlprune.cli;

import io.djlprune.engine.Latency;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The sweep's tables and plots from rows alone: every kind of row, including cells that did not finish. */
public class SweepPlotsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Asserts the file is a PNG of the plots' size (ImageIO decodes it). */
    static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Assert.assertTrue(bytes.length > PNG_SIGNATURE.length, file + " is empty");
        Assert.assertEquals(Arrays.copyOf(bytes, PNG_SIGNATURE.length), PNG_SIGNATURE, file + " is not a PNG");
        BufferedImage image = ImageIO.read(file.toFile());
        Assert.assertNotNull(image, file + " does not decode");
        Assert.assertEquals(image.getWidth(), SweepPlots.WIDTH);
        Assert.assertEquals(image.getHeight(), SweepPlots.HEIGHT);
    }

    private static Latency latency(double medianMs) {
        return new Latency("cpu()", 64, 5, 20, medianMs, medianMs + 1, medianMs - 1);
    }

    private static SweepRow cell(String method, String budget, double flops, double params, double accuracy, double ms) {
        return new SweepRow(method, budget, "completed", flops, params, 100L, 1000L, accuracy, accuracy, latency(ms), 3.0, null, null);
    }

    @Test
    public void tablesAndPlotsShowEveryKindOfRow() throws IOException {
        Path out = Files.createTempDirectory("sweep-plots");
        SweepRow dense = new SweepRow("dense", null, "dense", 1.0, 1.0, 400L, 4000L, 0.9, 0.91, latency(8), 10.0, null, null);
        SweepRow diverged = new SweepRow("chipnet", "flops=0.1", "diverged", 0.09, 0.2, null, null, 0.5, null, null, 4.0, null, null);
        List<SweepRow> cells =
                List.of(
                        cell("l1", "flops=0.5", 0.48, 0.6, 0.88, 6),
                        cell("l1", "flops=0.25", 0.24, 0.3, 0.8, 4),
                        cell("l1", "params=0.25", 0.3, 0.25, 0.82, 5),
                        diverged,
                        SweepRow.notRun("random", "flops=0.5"));
        SweepTable.write(out, dense, cells);
        SweepPlots.write(out, dense, cells);

        List<String> csv = Files.readAllLines(out.resolve(SweepTable.CSV_FILE));
        Assert.assertEquals(csv.get(0), SweepTable.CSV_HEADER);
        Assert.assertEquals(csv.get(1), "dense,,dense,1.0000,1.0000,400,4000,0.9000,0.9100,8.000,1.000,64,10,,");
        Assert.assertEquals(csv.get(2), "l1,flops=0.5,completed,0.4800,0.6000,100,1000,0.8800,0.8800,6.000,0.750,64,3,,");
        Assert.assertEquals(csv.get(4), "l1,params=0.25,completed,0.3000,0.2500,100,1000,0.8200,0.8200,5.000,0.625,64,3,,");
        Assert.assertEquals(csv.get(5), "chipnet,flops=0.1,diverged,0.0900,0.2000,,,0.5000,,,,,4,,");
        Assert.assertEquals(csv.size(), 6, "a cell that has not run has no CSV row");

        String md = Files.readString(out.resolve(SweepTable.MARKDOWN_FILE));
        Assert.assertTrue(md.contains("| latency ms (.pt, batch 64) | latency / dense | seconds |"), md);
        Assert.assertTrue(md.contains("| dense | — | dense | 1.0000 | 1.0000 | 400 | 4000 | 0.9000 | 0.9100 | 8.000 | 1.000 | 10 |"), md);
        Assert.assertTrue(md.contains("| random | flops=0.5 | not run |"), md);
        Assert.assertEquals(md.lines().count(), 2 + 1 + cells.size(), md);

        assertPng(out.resolve(SweepPlots.ACCURACY_FILE));
        assertPng(out.resolve(SweepPlots.LATENCY_FILE));
        try (var files = Files.list(out)) {
            Assert.assertEquals(
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    List.of(SweepPlots.ACCURACY_FILE, SweepPlots.LATENCY_FILE, SweepTable.CSV_FILE, SweepTable.MARKDOWN_FILE),
                    "no temporary file is left behind");
        }
    }

    @Test
    public void plotsOfADenseModelAloneStillRender() throws IOException {
        Path out = Files.createTempDirectory("sweep-plots");
        SweepRow dense = new SweepRow("dense", null, "dense", 1.0, 1.0, 400L, 4000L, 0.9, 0.91, latency(8), 10.0, null, null);
        SweepPlots.write(out, dense, List.of(SweepRow.notRun("l1", "flops=0.5")));
        assertPng(out.resolve(SweepPlots.ACCURACY_FILE));
        assertPng(out.resolve(SweepPlots.LATENCY_FILE));
    }

    @Test
    public void aCellReportsItsBestEpochsGapAndPeakMemory() throws Exception {
        Path report = Files.createTempDirectory("row").resolve("prune-report.json");
        Files.writeString(
                report,
                "{\"status\": \"completed\", \"achieved\": {\"flops\": 0.25, \"params\": 0.3}, \"bestEpoch\": 2,"
                        + " \"history\": ["
                        + "{\"epoch\": 1, \"softAccuracy\": 0.9, \"hardAccuracy\": 0.5,"
                        + " \"memory\": {\"residentBytes\": 104857600, \"liveArrays\": 5}},"
                        + "{\"epoch\": 2, \"softAccuracy\": 0.91, \"hardAccuracy\": 0.9,"
                        + " \"memory\": {\"residentBytes\": 209715200, \"liveArrays\": 5}}],"
                        + " \"fineTuning\": [{\"epoch\": 1, \"memory\": {\"residentBytes\": 157286400, \"liveArrays\": 4}}]}");
        SweepRow row = SweepRow.cell("chipnet", "flops=0.25", report, null);
        Assert.assertEquals(row.softHardGap(), 0.01, 1e-9, "soft − hard of the best epoch, not the first");
        Assert.assertEquals(row.peakResidentMiB(), 200.0, 1e-9, "the largest over pruning and fine-tuning");
    }
}
