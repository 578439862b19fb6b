package io.djlprune.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlprune.cost.Budget;
import io.djlprune.data.DataSplits;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.method.ChipNetMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.method.ScoringMethod;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.pipeline.PruningJob;
import io.djlprune.pipeline.PruningResult;
import io.djlprune.zoo.data.FashionMnist;
import io.djlprune.zoo.data.SyntheticImages;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Path;

/**
 * The pruning API from a DJL application: a trained model, its data and a budget go into a {@link PruningJob}; out
 * comes the compacted, fine-tuned network and a verified TorchScript file. The two methods below are the README's
 * library section, line for line (a test checks that).
 *
 * <pre>
 * java -cp "examples/target/djl-prune.jar:examples/target/lib/*" io.djlprune.examples.PruneWithJob \
 *     l1 flops=0.5 runs/l1.pt          # chipnet instead of l1; add "synthetic" to run without Fashion-MNIST
 * </pre>
 */
public final class PruneWithJob {

    private PruneWithJob() {}

    /**
     * Runs the example on a LeNet-5 trained here for one epoch.
     *
     * @param args l1 or chipnet, the budget (KIND=TARGET), the output .pt, and optionally "synthetic"
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PruneWithJob l1|chipnet KIND=TARGET OUTPUT.pt [synthetic]");
            System.exit(2);
        }
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("lenet5")) {
            DataSplits data =
                    args.length > 3
                            ? SyntheticImages.builder().optBatchSize(32).build(manager)
                            : FashionMnist.builder().optBatchSize(32).build(manager);
            model.setBlock(ModelCatalog.build("lenet5", data.classes()));
            model.getBlock().initialize(manager, DataType.FLOAT32, data.batchShape(1));
            PruningResult result =
                    args[0].equals("chipnet")
                            ? chipnet(model, data, Budget.parse(args[1]), Path.of(args[2]), manager)
                            : l1(model, data, Budget.parse(args[1]), Path.of(args[2]), manager);
            System.out.printf(
                    "%s: kept %s of the FLOPs, test accuracy %.4f, %d parameters%n",
                    result.plan().getMethod(), result.plan().getRatio(io.djlprune.cost.BudgetKind.FLOPS),
                    result.testAccuracy(), result.parameters());
        }
    }

    /**
     * Prunes a trained model with L1 filter norms to a budget, fine-tunes and exports it.
     *
     * @param model the trained model
     * @param data its data (batch size 32)
     * @param budget the budget, e.g. flops=0.5
     * @param pt where to write the TorchScript file
     * @param manager owns the compacted network
     * @return the result
     * @throws Exception if anything fails
     */
    public static PruningResult l1(Model model, DataSplits data, Budget budget, Path pt, NDManager manager)
            throws Exception {
        // README:l1 begin
        PruningResult result = PruningJob.builder()
                .setModel(model)                                  // a trained DJL model, any block the graph proves
                .setData(data, 32)                                // train / validation / test, built at batch 32
                .setMethod(ScoringMethod.l1())                    // or groupHs(α), slimming(λ), groupLasso(λ), random()
                .setBudget(budget)                                // e.g. Budget.parse("flops=0.5"): met exactly
                .optFineTuning(new FineTuning(2, 0.01f))          // SGD, cosine, on the compacted network
                .addExporter(new TorchScriptExport(pt, DjlOpClassifier.newInstance(), 1e-5))
                .build()
                .run(manager);                                    // manager owns the compacted network
        System.out.println(result.compaction().describe());      // what each layer lost
        // README:l1 end
        return result;
    }

    /**
     * Prunes a trained model with ChipNet (this library's default recipe) to a budget, fine-tunes and exports it.
     *
     * @param model the trained model
     * @param data its data (batch size 32)
     * @param budget the budget, e.g. flops=0.25
     * @param pt where to write the TorchScript file
     * @param manager owns the compacted network
     * @return the result
     * @throws Exception if anything fails
     */
    public static PruningResult chipnet(Model model, DataSplits data, Budget budget, Path pt, NDManager manager)
            throws Exception {
        // README:chipnet begin
        PruningResult result = PruningJob.builder()
                .setModel(model)
                .setData(data, 32)
                .setMethod(ChipNetMethod.builder().build())       // or builder(ChipNetPreset.REFERENCE), opt… to override
                .setBudget(budget)
                .optRecipe(new PruningRecipe(20, 1e-3f, null))    // 20 epochs of gates; decay: ChipNet's 1e-3
                .optPlanFile(pt.resolveSibling("plan.json"))      // the best hard mask so far, after every epoch
                .addExporter(new TorchScriptExport(pt, DjlOpClassifier.newInstance(), 1e-5))
                .build()
                .run(manager);
        result.history().forEach(System.out::println);           // soft and hard accuracy, β, γ, kept, memory
        // README:chipnet end
        return result;
    }
}
