package io.djlprune.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import io.djlprune.chipnet.ChipNetLoss;
import io.djlprune.chipnet.ChipNetRecipe;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.chipnet.Pruner;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import io.djlprune.zoo.data.FashionMnist;
import io.djlprune.zoo.data.SyntheticImages;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Path;

/**
 * The whole flow from a DJL app: {@code trainer.fit(...)} plus one listener. A dense model gets ChipNet gates from its
 * channel graph, trains with the ChipNet loss, and the {@link Pruner} keeps the best hard mask and, when the trainer
 * closes, compacts the network and writes a TorchScript {@code .pt} verified through LibTorch.
 *
 * <pre>
 * java -cp "examples/target/djl-prune.jar:examples/target/lib/*" io.djlprune.examples.PruneWithListener \
 *     lenet5 flops=0.25 3 runs/example.pt          # add "synthetic" to run without the Fashion-MNIST files
 * </pre>
 */
public final class PruneWithListener {

    private PruneWithListener() {}

    /**
     * Runs the example.
     *
     * @param args model name, budget (KIND=TARGET), epochs, output .pt, and optionally "synthetic"
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PruneWithListener MODEL KIND=TARGET EPOCHS OUTPUT.pt [synthetic]");
            System.exit(2);
        }
        run(args[0], Budget.parse(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), args.length > 4);
    }

    /**
     * Prunes a catalog model with ChipNet and exports it.
     *
     * @param modelName a catalog model
     * @param budget the budget
     * @param epochs the pruning epochs
     * @param output the .pt to write
     * @param synthetic whether to use generated data instead of Fashion-MNIST
     * @return the pruner, with its history and best plan
     * @throws Exception if anything fails
     */
    public static Pruner run(String modelName, Budget budget, int epochs, Path output, boolean synthetic)
            throws Exception {
        Device device = Engines.select(DeviceChoice.AUTO);
        OpClassifier classifier = DjlOpClassifier.newInstance();
        try (NDManager manager = NDManager.newBaseManager(device);
                Model model = Model.newInstance(modelName, device, Engines.PYTORCH)) {
            DataSplits data =
                    synthetic
                            ? SyntheticImages.builder().optBatchSize(32).build(manager)
                            : FashionMnist.builder().optBatchSize(32).build(manager);
            Shape input = data.batchShape(1);

            // 1. the dense network and its channel graph
            Block dense = ModelCatalog.build(modelName, data.classes());
            dense.initialize(manager, DataType.FLOAT32, input);
            ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(dense);

            // 2. gates, loss, and the Pruner that exports when training ends
            GatedNetwork network = GatedNetwork.of(dense, graph);
            model.setBlock(network.getBlock());
            ChipNetLoss loss = ChipNetLoss.builder().setNetwork(network).setBudget(budget).build();
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(data.validation())
                            .setEpochs(epochs)
                            .optModelName(modelName)
                            .optExport(
                                    Compactor.builder().setClassifier(classifier).build(),
                                    new TorchScriptExport(output, classifier, 1e-5))
                            .build();

            // 3. plain DJL training; closing the trainer restores the best epoch and exports
            try (Trainer trainer = model.newTrainer(new ChipNetRecipe().trainingConfig(network, loss, pruner, epochs, device))) {
                trainer.initialize(data.batchShape(32));
                EasyTrain.fit(trainer, epochs, data.train(), data.validation());
            }
            return pruner;
        }
    }
}
