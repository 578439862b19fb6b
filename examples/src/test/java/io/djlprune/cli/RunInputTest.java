package io.djlprune.cli;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** What {@code export --from} reads from a run's report, including reports written before it recorded the shape. */
public class RunInputTest {

    private static Path runWithReport(String json) throws IOException {
        Path dir = Files.createTempDirectory("run-input");
        Files.writeString(dir.resolve(PruneCommand.REPORT_FILE), json);
        return dir;
    }

    @Test
    public void recordedShapeClassesAndNamesAreRead() throws IOException {
        // the report's other fields, NaN accuracies among them (written with Gson's special floating-point values)
        RunInput input = RunInput.read(runWithReport("{\"dataset\": \"imagefolder:/data\", \"classes\": 3,"
                + " \"classNames\": [\"cat\", \"dog\", \"eel\"], \"inputShape\": [3, 64, 48],"
                + " \"history\": [{\"hardAccuracy\": NaN}], \"wallTimeSeconds\": 12.5}"));
        Assert.assertEquals(input.sampleShape(), new Shape(3, 64, 48));
        Assert.assertEquals(input.classes(), 3);
        Assert.assertEquals(input.classNames(), List.of("cat", "dog", "eel"));
    }

    @Test
    public void anOlderFashionMnistReportGivesFashionMnistsShape() throws IOException {
        RunInput input = RunInput.read(runWithReport("{\"dataset\": \"fashion-mnist\", \"classNames\": []}"));
        Assert.assertEquals(input.sampleShape(), new Shape(1, 28, 28));
        Assert.assertEquals(input.classes(), 10);
        Assert.assertTrue(input.classNames().isEmpty());
    }

    @Test
    public void anOlderReportOnOtherDataIsRefusedRatherThanGuessed() throws IOException {
        Path run = runWithReport("{\"dataset\": \"imagefolder:/data\", \"classNames\": [\"a\", \"b\"]}");
        IOException e = Assert.expectThrows(IOException.class, () -> RunInput.read(run));
        Assert.assertTrue(e.getMessage().contains("does not record the input shape and class count of its data"
                + " (dataset imagefolder:/data"), e.getMessage());
    }

    @Test
    public void aMissingOrCorruptReportIsNamed() throws IOException {
        Path empty = Files.createTempDirectory("run-input");
        IOException missing = Assert.expectThrows(IOException.class, () -> RunInput.read(empty));
        Assert.assertTrue(missing.getMessage().startsWith("No prune-report.json in " + empty), missing.getMessage());
        Path corrupt = runWithReport("{\"dataset\": ");
        IOException broken = Assert.expectThrows(IOException.class, () -> RunInput.read(corrupt));
        Assert.assertTrue(broken.getMessage().contains("is not a prune report"), broken.getMessage());
        Path blank = runWithReport("");
        IOException blankError = Assert.expectThrows(IOException.class, () -> RunInput.read(blank));
        Assert.assertTrue(blankError.getMessage().contains("is not a prune report (it is empty)"), blankError.getMessage());
    }
}
