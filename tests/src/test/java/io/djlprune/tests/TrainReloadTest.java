package io.djlprune.tests;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cli.DjlPrune;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.data.FashionMnist;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Across modules: the CLI trains on the real data, and the saved DJL model loads back in a plain DJL program and gives
 * exactly the test accuracy the report claims.
 */
public class TrainReloadTest {

    @Test
    public void savedModelReproducesTheReportedTestAccuracy()
            throws IOException, MalformedModelException, TranslateException {
        Path out = Files.createTempDirectory("e2e").resolve("resnet20");
        int exit =
                DjlPrune.commandLine()
                        .execute(
                                "train", "--model", "resnet20", "--epochs", "1", "--limit", "512",
                                "--batch-size", "64", "--output", out.toString());
        Assert.assertEquals(exit, 0);
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve("train-report.json"))).getAsJsonObject();

        ai.djl.Device device = Engines.select(DeviceChoice.AUTO);
        try (NDManager manager = NDManager.newBaseManager(device);
                Model model = Model.newInstance("resnet20", device, Engines.PYTORCH)) {
            model.setBlock(ModelCatalog.build("resnet20", report.get("classes").getAsInt()));
            model.load(out, "resnet20");
            DataSplits data = FashionMnist.builder().optLimit(512).optBatchSize(64).build(manager);
            double accuracy = Evaluation.accuracy(model.getBlock(), data.test(), manager);
            Assert.assertEquals(accuracy, report.get("testAccuracy").getAsDouble(), 1e-9);
            Assert.assertEquals(
                    Evaluation.parameterCount(model.getBlock(), true), report.get("parameterCount").getAsLong());
        }
    }
}
