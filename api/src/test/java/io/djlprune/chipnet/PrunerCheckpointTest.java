package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.gate.GateMode;
import io.djlprune.gate.GateSchedule;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The Pruner's checkpoint state is a format: a state written with the keys and the weights file the Pruner has
 * always used restores, and saving it again gives the same JSON and weights.
 */
public class PrunerCheckpointTest {

    private static final String HISTORY =
            "[{\"epoch\":1,\"softRatio\":0.9,\"hardRatio\":0.48,\"softAccuracy\":0.5,\"hardAccuracy\":0.625,"
                    + "\"beta\":1.0,\"gamma\":2.0,\"kept\":[4,8,16],\"seconds\":1.5,"
                    + "\"memory\":{\"residentBytes\":1048576,\"liveArrays\":60}},"
                    + "{\"epoch\":2,\"softRatio\":0.95,\"hardRatio\":0.48,\"softAccuracy\":NaN,\"hardAccuracy\":0.5,"
                    + "\"beta\":1.02,\"gamma\":2.8284271247461903,\"kept\":[4,8,16],\"seconds\":1.25,"
                    + "\"memory\":{\"residentBytes\":-1,\"liveArrays\":77}}]";

    @Test
    public void aStateInTheSavedFormatRestoresAndSavesAlike() throws Exception {
        Path folder = Files.createTempDirectory("pruner-state");
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = PrunerTest.gatedChain(manager);
            ChannelGraph graph = network.getGraph();
            Budget budget = new Budget(BudgetKind.FLOPS, 0.5);
            ChipNetLoss loss = ChipNetLoss.builder().setNetwork(network).setBudget(budget).build();
            Pruner pruner = pruner(manager, network, loss, 6);

            boolean[][] keep = firstHalf(graph);
            ChannelMask mask = ChannelMask.of(graph, keep);
            float[][] psi = network.psi();
            MaskPlan plan =
                    MaskPlan.of("chain", "chipnet", network.getCostModel(), budget, mask, psi)
                            .withTraining(1, 0.625, 1.0, 2.0);
            Gson gson = new Gson();
            JsonObject best = new JsonObject();
            best.add("keep", gson.toJsonTree(keep));
            best.add("psi", gson.toJsonTree(psi));
            best.add("factors", gson.toJsonTree(factors(graph)));
            JsonObject frozen = new JsonObject();
            frozen.add("keep", gson.toJsonTree(keep));
            frozen.add("psi", gson.toJsonTree(psi));
            JsonObject state = new JsonObject();
            state.addProperty("epoch", 2);
            state.addProperty("stepsPerEpoch", 6);
            state.add("history", JsonParser.parseString(HISTORY));
            state.addProperty("bestPlan", MaskPlanJson.toJson(plan));
            state.add("best", best);
            state.add("frozen", frozen);
            try (WeightSnapshot weights = WeightSnapshot.of(network.getBlock(), manager)) {
                weights.writeTo(folder.resolve("pruner-best.params"));
            }

            pruner.restoreState(state, folder, manager);

            List<PruningEpoch> history = pruner.getHistory();
            Assert.assertEquals(history.size(), 2);
            Assert.assertEquals(history.get(1).epoch(), 2);
            Assert.assertTrue(Double.isNaN(history.get(1).softAccuracy()));
            Assert.assertEquals(history.get(0).memory().liveArrays(), 60);
            Assert.assertEquals(pruner.getBestPlan().getEpoch().intValue(), 1);
            Assert.assertEquals(pruner.getBestMask(), mask);
            // the hard finish had begun: the gates hold its mask; the schedule stands at epoch 2's first step
            Assert.assertEquals(network.getController().getMode(), GateMode.HARD);
            GateSchedule schedule = GateSchedule.reference();
            Assert.assertEquals(network.getController().getProjection(), schedule.projectionAt(2));
            Assert.assertEquals(loss.getSteepness(), schedule.steepnessAt(2, 0, 6), 1e-12);

            Path again = Files.createDirectories(folder.resolve("again"));
            JsonElement saved = pruner.saveState(again);
            Assert.assertEquals(
                    saved.getAsJsonObject().keySet(),
                    Set.of("epoch", "stepsPerEpoch", "history", "bestPlan", "best", "frozen"));
            Assert.assertEquals(asWritten(saved), asWritten(state));
            Assert.assertEquals(
                    Files.readAllBytes(again.resolve("pruner-best.params")),
                    Files.readAllBytes(folder.resolve("pruner-best.params")));
        }
    }

    @Test
    public void aStateBeforeAnyBestGoesBackToSoftGates() throws Exception {
        Path folder = Files.createTempDirectory("pruner-state-empty");
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = PrunerTest.gatedChain(manager);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.5)).build();
            Pruner pruner = pruner(manager, network, loss, 0);
            network.applyHardMask(ChannelMask.full(network.getGraph()));
            JsonElement state = JsonParser.parseString("{\"epoch\":0,\"stepsPerEpoch\":6,\"history\":[]}");
            pruner.restoreState(state, folder, manager);
            Assert.assertEquals(network.getController().getMode(), GateMode.SOFT);
            Assert.assertNull(pruner.getBestPlan());
            Assert.assertNull(pruner.getBestMask());
            Assert.assertEquals(asWritten(pruner.saveState(folder)), asWritten(state));
            Assert.assertFalse(Files.exists(folder.resolve("pruner-best.params")));
        }
    }

    @Test
    public void aStateOfAnotherEpochLengthOrACorruptOneIsRefused() throws Exception {
        Path folder = Files.createTempDirectory("pruner-state-bad");
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = PrunerTest.gatedChain(manager);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.5)).build();
            Pruner pruner = pruner(manager, network, loss, 6);
            JsonElement longer = JsonParser.parseString("{\"epoch\":1,\"stepsPerEpoch\":8,\"history\":[]}");
            IOException e = Assert.expectThrows(IOException.class, () -> pruner.restoreState(longer, folder, manager));
            Assert.assertTrue(e.getMessage().contains("8 steps but this run's have 6"), e.getMessage());
            JsonElement corrupt = JsonParser.parseString("{\"epoch\":1,\"stepsPerEpoch\":6}");
            e = Assert.expectThrows(IOException.class, () -> pruner.restoreState(corrupt, folder, manager));
            Assert.assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
        }
    }

    private static Pruner pruner(NDManager manager, GatedNetwork network, ChipNetLoss loss, int stepsPerEpoch) {
        return Pruner.builder()
                .setNetwork(network, loss)
                .setValidation(PrunerTest.data(manager, 32, 3, PrunerTest.prototypes(1), false))
                .setEpochs(4)
                .optStepsPerEpoch(stepsPerEpoch)
                .optModelName("chain")
                .build();
    }

    /** The state as a checkpoint file holds it and reads it back (numbers as text, NaN included). */
    private static JsonElement asWritten(JsonElement state) {
        return JsonParser.parseString(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(state));
    }

    /** A soft scale of 0.75 for every channel of the prunable groups. */
    private static float[][] factors(ChannelGraph graph) {
        float[][] factors = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            factors[group.id()] = new float[group.size()];
            Arrays.fill(factors[group.id()], 0.75f);
        }
        return factors;
    }

    /** Keeps the first half (at least one) of every prunable group's channels and all of the fixed groups'. */
    private static boolean[][] firstHalf(ChannelGraph graph) {
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            int kept = group.prunable() ? Math.max(1, group.size() / 2) : group.size();
            for (int c = 0; c < kept; c++) {
                keep[group.id()][c] = true;
            }
        }
        return keep;
    }
}
