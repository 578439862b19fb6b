package io.djlprune.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.DivergenceCheckTrainingListener;
import ai.djl.training.listener.EpochTrainingListener;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.LoggingTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The training listeners djl-prune uses: DJL's default set, with progress that suits a log. */
public class ProgressLoggingListenerTest {

    @Test
    public void theSetIsDjlsDefaultLoggingSetWithTheProgressListener() {
        List<Class<?>> types = new ArrayList<>();
        for (TrainingListener listener : TrainingListeners.logging()) {
            types.add(listener.getClass());
        }
        Assert.assertEquals(
                types,
                List.of(
                        EpochTrainingListener.class,
                        EvaluatorTrainingListener.class,
                        DivergenceCheckTrainingListener.class,
                        ProgressLoggingListener.class));
        // still DJL's listener, so its epoch and timing lines are kept
        Assert.assertTrue(LoggingTrainingListener.class.isAssignableFrom(ProgressLoggingListener.class));
    }

    @Test
    public void aTrainingRunLogsEachPassInLinesWithTheTrainingStatus() throws IOException, TranslateException {
        List<String> lines = new ArrayList<>();
        // each reading of the clock is 20 s later, so every 5 % step a batch reaches is logged
        long[] now = {0};
        ProgressLoggingListener listener =
                new ProgressLoggingListener(
                        () ->
                                new ConsoleProgress(
                                        ConsoleProgress.Mode.LINES,
                                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                                        lines::add,
                                        () -> now[0] += TimeUnit.SECONDS.toNanos(20)));
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optDevices(new Device[] {Device.cpu()})
                        .addEvaluator(new Accuracy())
                        .addTrainingListeners(new EpochTrainingListener(), new EvaluatorTrainingListener(), listener);
        try (Model model = Model.newInstance("progress", Device.cpu())) {
            // two layers: a lone linear layer under softmax cross-entropy has gradients that sum to 0, which DJL's
            // first-step check takes for a missing backward pass
            model.setBlock(
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(8).build())
                            .add(Activation::relu)
                            .add(Linear.builder().setUnits(3).build()));
            NDManager manager = model.getNDManager();
            // 40 samples in batches of 4: 10 batches per pass, each 10 %
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(manager.randomNormal(new Shape(40, 5)))
                            .optLabels(manager.randomInteger(0, 3, new Shape(40), DataType.INT32))
                            .setSampling(4, false)
                            .build();
            try (Trainer trainer = model.newTrainer(config)) {
                // the status beside the progress reads the trainer's metrics, which DJL keeps only when asked to
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(4, 5));
                EasyTrain.fit(trainer, 2, data, data);
            }
        }
        String all = String.join("\n", lines);
        Assert.assertEquals(lines.size(), 2 * (10 + 10), all);
        Assert.assertEquals(lines.stream().filter(l -> l.startsWith("Training: 100% (40/40)")).count(), 2, all);
        Assert.assertEquals(lines.stream().filter(l -> l.startsWith("Validating: 100% (40/40)")).count(), 2, all);
        // the speed appears only where the trainer records batch times (DJL's "train" metric)
        String training = lines.stream().filter(l -> l.startsWith("Training: 50% (20/40)")).findFirst().orElseThrow();
        Assert.assertTrue(
                training.matches(".*; Accuracy: [0-9.E-]+, SoftmaxCrossEntropyLoss: [0-9.E-]+(, speed: .* items/sec)?"),
                training);
    }
}
