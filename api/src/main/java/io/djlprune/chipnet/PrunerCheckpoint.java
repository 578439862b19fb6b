package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Pruner}'s state in a {@link io.djlprune.checkpoint.TrainingCheckpoint}: the position, the history, the
 * best epoch (its weights in {@value #BEST_WEIGHTS} beside the JSON) and the hard-finish mask. The JSON keys and the
 * file name are a format: checkpoints written by earlier versions must keep restoring, so they do not change.
 */
final class PrunerCheckpoint {

    /** The file of the best epoch's weights in the checkpoint's folder. */
    static final String BEST_WEIGHTS = "pruner-best.params";

    // The keys of the state. "frozen" is the hard-finish mask, under the name it had when it was written first.
    private static final String EPOCH = "epoch";
    private static final String STEPS_PER_EPOCH = "stepsPerEpoch";
    private static final String HISTORY = "history";
    private static final String BEST_PLAN = "bestPlan";
    private static final String BEST = "best";
    private static final String FROZEN = "frozen";

    // NaN is a valid record value (no soft accuracy measured), which plain JSON cannot hold
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final ChannelGraph graph;
    private final PruningPosition position;
    private final HardMaskValidation validation;
    private final BestEpoch best;
    private final HardFinish finish;

    /**
     * Creates the state of a Pruner's parts.
     *
     * @param graph the channel graph masks are restored for
     * @param position the run's position
     * @param validation the validation, which holds the history
     * @param best the best epoch
     * @param finish the hard finish
     */
    PrunerCheckpoint(
            ChannelGraph graph,
            PruningPosition position,
            HardMaskValidation validation,
            BestEpoch best,
            HardFinish finish) {
        this.graph = graph;
        this.position = position;
        this.validation = validation;
        this.best = best;
        this.finish = finish;
    }

    /**
     * Saves the state at an epoch's end.
     *
     * @param folder the checkpoint's folder, for the best weights
     * @return the state
     * @throws IOException if the weights cannot be written
     */
    JsonElement save(Path folder) throws IOException {
        JsonObject state = new JsonObject();
        state.addProperty(EPOCH, position.epoch());
        state.addProperty(STEPS_PER_EPOCH, position.stepsPerEpoch());
        state.add(HISTORY, GSON.toJsonTree(new ArrayList<>(validation.history())));
        MaskPlan plan = best.plan();
        if (plan != null) {
            state.addProperty(BEST_PLAN, MaskPlanJson.toJson(plan));
            state.add(BEST, GSON.toJsonTree(SavedChoice.of(best.choice())));
            best.weights().writeTo(folder.resolve(BEST_WEIGHTS));
        }
        HardChoice fixed = finish.fixedChoice();
        if (fixed != null) {
            state.add(FROZEN, GSON.toJsonTree(SavedChoice.of(fixed)));
        }
        return state;
    }

    /**
     * Restores every part from a saved state; the caller then starts the next epoch.
     *
     * @param saved the state {@link #save} returned
     * @param folder the checkpoint's folder
     * @param manager the manager the best weights are read under
     * @throws IOException if the state is corrupt, the weights cannot be read, or the epoch length differs
     */
    void restore(JsonElement saved, Path folder, NDManager manager) throws IOException {
        try {
            JsonObject state = saved.getAsJsonObject();
            position.restoreLength(state.get(STEPS_PER_EPOCH).getAsInt());
            position.restoreEpoch(state.get(EPOCH).getAsInt());
            List<PruningEpoch> history = new ArrayList<>();
            for (JsonElement record : state.getAsJsonArray(HISTORY)) {
                history.add(GSON.fromJson(record, PruningEpoch.class));
            }
            validation.restoreHistory(history);
            best.reset();
            if (state.has(BEST_PLAN)) {
                MaskPlan plan = MaskPlanJson.fromJson(state.get(BEST_PLAN).getAsString(), "checkpoint " + folder);
                HardChoice choice = GSON.fromJson(state.get(BEST), SavedChoice.class).toChoice(graph);
                // read last, so nothing before it can fail and leave the weights unowned
                best.restore(plan, choice, WeightSnapshot.readFrom(folder.resolve(BEST_WEIGHTS), manager));
            }
            finish.restore(
                    state.has(FROZEN) ? GSON.fromJson(state.get(FROZEN), SavedChoice.class).toChoice(graph) : null);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IOException(
                    "The pruner's state in the checkpoint " + folder + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** A {@link HardChoice} as JSON holds it: the keep mask of every group, ψ and the factors. */
    private record SavedChoice(boolean[][] keep, float[][] psi, float[][] factors) {

        static SavedChoice of(HardChoice choice) {
            ChannelMask mask = choice.mask();
            boolean[][] keep = new boolean[mask.groupCount()][];
            for (int g = 0; g < keep.length; g++) {
                keep[g] = mask.keep(g);
            }
            return new SavedChoice(keep, choice.psi(), choice.factors());
        }

        HardChoice toChoice(ChannelGraph graph) {
            return new HardChoice(ChannelMask.of(graph, keep), psi, factors);
        }
    }
}
