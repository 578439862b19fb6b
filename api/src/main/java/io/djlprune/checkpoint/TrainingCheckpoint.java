package io.djlprune.checkpoint;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A training listener that makes a run resumable: at every epoch's end it writes a checkpoint — the model's
 * parameters, the optimiser's state and the state of every participant (e.g. the ChipNet {@code Pruner}) — into a
 * new folder, and only when that folder is complete points {@code latest.json} at it (an atomic rename) and deletes
 * the older one. A process killed at any moment leaves the previous complete checkpoint, so it loses at most the
 * epoch in progress.
 *
 * <p>With a seed, the engine's random generator is reseeded at the start of every epoch from the seed and the epoch
 * number, so the shuffling of epoch e is the same whether the run went through or was resumed at e (DJL's samplers
 * draw from that generator; augmentation with its own generator is not covered).
 *
 * <p>Add it after every listener whose state it saves. To resume: {@link ResumePoint#read} the folder, check
 * {@link ResumePoint#requireSettings}, create the trainer with this listener, initialise it, call {@link
 * #restore}, and train for the remaining {@code epochs − point.epochsDone()} epochs.
 */
public final class TrainingCheckpoint extends TrainingListenerAdapter {

    private final Path folder;
    private final StatefulOptimizer optimizer;
    private final List<Checkpointable> participants;
    private final Map<String, String> settings;
    private final Long seed;
    private int epochsDone;

    private TrainingCheckpoint(Builder builder) {
        this.folder = builder.folder;
        this.optimizer = builder.optimizer;
        this.participants = List.copyOf(builder.participants);
        this.settings = Map.copyOf(builder.settings);
        this.seed = builder.seed;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        epochsDone = 0;
        reseed(trainer);
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        epochsDone++;
        try {
            write(trainer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoint of epoch " + epochsDone + " to " + folder, e);
        }
        reseed(trainer);
    }

    /**
     * Restores a trainer, its optimiser and the participants to a resume point, before training continues.
     *
     * @param point the point, read from this listener's folder
     * @param trainer the trainer, created with this listener and initialised
     * @throws IOException if a file of the checkpoint cannot be read or does not fit the model
     */
    public void restore(ResumePoint point, Trainer trainer) throws IOException {
        Block block = trainer.getModel().getBlock();
        NDManager manager = trainer.getManager();
        try (NDManager scope = manager.newSubManager()) {
            ParameterFile.readInto(block, point.folder().resolve(ResumePoint.WEIGHTS), scope);
            if (optimizer != null) {
                try (InputStream in = Files.newInputStream(point.folder().resolve(ResumePoint.OPTIMIZER))) {
                    Map<String, String> idOfName = new HashMap<>();
                    for (Pair<String, Parameter> pair : block.getParameters()) {
                        idOfName.put(pair.getKey(), pair.getValue().getId());
                    }
                    optimizer.loadState(NDList.decode(scope, in), idOfName);
                }
            }
        }
        for (Checkpointable participant : participants) {
            JsonElement state = point.participant(participant.checkpointName());
            if (state == null) {
                throw new IOException(
                        "The checkpoint in " + point.folder() + " has no state of '" + participant.checkpointName()
                                + "'; it was written by a different set-up");
            }
            participant.restoreState(state, point.folder(), manager);
        }
        epochsDone = point.epochsDone();
        reseed(trainer);
    }

    /**
     * Returns the epochs completed in this run, counting those before a resume.
     *
     * @return the count
     */
    public int getEpochsDone() {
        return epochsDone;
    }

    private void reseed(Trainer trainer) {
        if (seed != null) {
            // a different, fixed stream per epoch: the same order after a resume as without one
            Engine engine = trainer.getManager().getEngine();
            engine.setRandomSeed((int) (seed * 1_000_003L + epochsDone));
        }
    }

    private void write(Trainer trainer) throws IOException {
        String name = String.format("epoch-%04d", epochsDone);
        // complete before latest.json names it; a folder of that name left by a run killed before its pointer is replaced
        AtomicFiles.writeFolder(folder.resolve(name), partial -> writeState(trainer, partial));
        JsonObject pointer = new JsonObject();
        pointer.addProperty("folder", name);
        pointer.addProperty("epochsDone", epochsDone);
        AtomicFiles.write(folder.resolve(ResumePoint.LATEST), json(pointer));
        deleteOlder(name);
    }

    /** The weights, the optimiser's state and every participant's state, into one checkpoint folder. */
    private void writeState(Trainer trainer, Path partial) throws IOException {
        Block block = trainer.getModel().getBlock();
        ParameterFile.write(block, partial.resolve(ResumePoint.WEIGHTS));
        if (optimizer != null) {
            Map<String, String> nameOfId = new HashMap<>();
            for (Pair<String, Parameter> pair : block.getParameters()) {
                nameOfId.put(pair.getValue().getId(), pair.getKey());
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                AtomicFiles.write(partial.resolve(ResumePoint.OPTIMIZER), optimizer.saveState(scope, nameOfId).encode());
            }
        }
        JsonObject states = new JsonObject();
        for (Checkpointable participant : participants) {
            states.add(participant.checkpointName(), participant.saveState(partial));
        }
        JsonObject state = new JsonObject();
        state.addProperty("epochsDone", epochsDone);
        JsonObject settingsJson = new JsonObject();
        new java.util.TreeMap<>(settings).forEach(settingsJson::addProperty);
        state.add("settings", settingsJson);
        state.add("participants", states);
        AtomicFiles.write(partial.resolve(ResumePoint.STATE), json(state));
    }

    private static byte[] json(JsonObject object) {
        return new GsonBuilder().setPrettyPrinting().create().toJson(object).getBytes(StandardCharsets.UTF_8);
    }

    /** Deletes every epoch folder but the current one, and partial folders of killed runs. */
    private void deleteOlder(String current) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            entries.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().equals(current))
                    .forEach(stale::add);
        }
        for (Path path : stale) {
            AtomicFiles.deleteTree(path);
        }
    }

    /** Configures a {@link TrainingCheckpoint}. */
    public static final class Builder {
        private Path folder;
        private StatefulOptimizer optimizer;
        private final List<Checkpointable> participants = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Long seed;

        Builder() {}

        /**
         * Sets the folder the checkpoints go into (required); it holds one complete checkpoint at a time.
         *
         * @param folder the folder, created if missing
         * @return this builder
         */
        public Builder setFolder(Path folder) {
            this.folder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Sets the optimiser whose state is saved with the weights (required unless the run has no optimiser state
         * worth keeping, e.g. plain SGD without momentum).
         *
         * @param optimizer the trainer's optimiser
         * @return this builder
         */
        public Builder optOptimizer(StatefulOptimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * Adds something whose state is saved with the weights.
         *
         * @param participant e.g. the ChipNet {@code Pruner}
         * @return this builder
         */
        public Builder addParticipant(Checkpointable participant) {
            for (Checkpointable other : participants) {
                if (other.checkpointName().equals(participant.checkpointName())) {
                    throw new IllegalArgumentException(
                            "Two participants are named '" + participant.checkpointName() + "'");
                }
            }
            participants.add(participant);
            return this;
        }

        /**
         * Records the settings a resume must repeat (options of the command, the budget, the model), as text.
         *
         * @param settings name → value
         * @return this builder
         */
        public Builder optSettings(Map<String, String> settings) {
            this.settings.clear();
            this.settings.putAll(settings);
            return this;
        }

        /**
         * Reseeds the engine at every epoch's start from this seed and the epoch number (default: no reseeding).
         *
         * @param seed the run's seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return the listener
         */
        public TrainingCheckpoint build() {
            if (folder == null) {
                throw new IllegalArgumentException("A TrainingCheckpoint needs setFolder");
            }
            return new TrainingCheckpoint(this);
        }
    }
}
