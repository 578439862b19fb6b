package io.djlprune.examples;

import ai.djl.Model;
import ai.djl.basicdataset.cv.classification.ImageFolder;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.data.DataSplits;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.method.ChipNetMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.pipeline.PruningJob;
import io.djlprune.pipeline.PruningResult;
import java.nio.file.Path;
import java.util.Random;

/**
 * ChipNet on your own network and your own data: nothing here comes from djl-prune's model catalog or its
 * Fashion-MNIST loader. The block is a plain DJL {@link SequentialBlock} written in the application, the data any
 * DJL {@link RandomAccessDataset} (here {@link ArrayDataset}s made from arrays; an {@link ImageFolder} of your images
 * fits the same place), the dense model is trained with DJL's own {@link EasyTrain}, and a {@link PruningJob} prunes
 * it with ChipNet to a FLOPs budget and exports the compacted network.
 *
 * <pre>
 * java -cp "examples/target/djl-prune.jar:examples/target/lib/*" io.djlprune.examples.ChipNetOnOwnData \
 *     flops=0.3 runs/own.pt
 * </pre>
 */
public final class ChipNetOnOwnData {

    private static final int CLASSES = 3;
    private static final int SIDE = 16;
    private static final int BATCH = 32;

    private ChipNetOnOwnData() {}

    /**
     * Runs the example.
     *
     * @param args the budget (KIND=TARGET) and the output .pt
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ChipNetOnOwnData KIND=TARGET OUTPUT.pt");
            System.exit(2);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            PruningResult result = run(Budget.parse(args[0]), Path.of(args[1]), 4, manager);
            System.out.printf(
                    "chipnet: kept %.4f of the FLOPs, test accuracy %.4f, %d parameters%n",
                    result.plan().getRatio(BudgetKind.FLOPS), result.testAccuracy(), result.parameters());
        }
    }

    /**
     * Trains the application's block densely on the application's data, then prunes it with ChipNet.
     *
     * @param budget the budget, e.g. flops=0.3
     * @param pt where to write the TorchScript file
     * @param epochs dense epochs, and ChipNet's pruning epochs
     * @param manager owns the data and the compacted network
     * @return the result
     * @throws Exception if anything fails
     */
    public static PruningResult run(Budget budget, Path pt, int epochs, NDManager manager) throws Exception {
        DataSplits data =
                new DataSplits(
                        images(manager, 600, 1), images(manager, 150, 2), images(manager, 150, 3),
                        new Shape(3, SIDE, SIDE), CLASSES);
        try (Model model = Model.newInstance("my-net")) {
            model.setBlock(myNetwork());
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(data.batchShape(BATCH));
                EasyTrain.fit(trainer, epochs, data.train(), data.validation());
            }
            return PruningJob.builder()
                    .setModel(model)
                    .setData(data, BATCH)
                    .setMethod(ChipNetMethod.builder().build())
                    .setBudget(budget)
                    .optRecipe(new PruningRecipe(epochs, 1e-3f, null))
                    .optFineTuning(new FineTuning(1, 0.01f))
                    .addExporter(new TorchScriptExport(pt, DjlOpClassifier.newInstance(), 1e-5))
                    .build()
                    .run(manager);
        }
    }

    /** The application's own network: two conv–BN–ReLU stages, global pooling and a linear classifier. */
    static SequentialBlock myNetwork() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(24).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(48).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    /**
     * Stands in for the application's data: RGB images whose class is where a bright bar lies (top, middle or
     * bottom), under noise; a split is an {@link ArrayDataset} of the arrays, shuffled for training.
     */
    private static RandomAccessDataset images(NDManager manager, int count, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[count * 3 * SIDE * SIDE];
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(CLASSES);
            labels[i] = label;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIDE; y++) {
                    boolean bar = y / (SIDE / CLASSES + 1) == label;
                    for (int x = 0; x < SIDE; x++) {
                        pixels[((i * 3 + c) * SIDE + y) * SIDE + x] = (bar ? 1f : 0f) + (float) random.nextGaussian();
                    }
                }
            }
        }
        NDArray x = manager.create(pixels, new Shape(count, 3, SIDE, SIDE));
        NDArray y = manager.create(labels, new Shape(count));
        return new ArrayDataset.Builder()
                .setData(x)
                .optLabels(y)
                .setSampling(BATCH, seed == 1)
                .build();
    }
}
