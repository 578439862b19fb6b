package io.djlprune.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The last complete checkpoint of a run, as read from its folder: how many epochs were done, the settings the run
 * was started with, and where the weights, optimiser state and participants' state are. {@link TrainingCheckpoint}
 * restores a new trainer from it.
 */
public final class ResumePoint {

    static final String LATEST = "latest.json";
    static final String STATE = "state.json";
    static final String WEIGHTS = "weights.params";
    static final String OPTIMIZER = "optimizer.ndlist";

    private final Path folder;
    private final int epochsDone;
    private final Map<String, String> settings;
    private final JsonObject participants;

    private ResumePoint(Path folder, int epochsDone, Map<String, String> settings, JsonObject participants) {
        this.folder = folder;
        this.epochsDone = epochsDone;
        this.settings = settings;
        this.participants = participants;
    }

    /**
     * Reads the last complete checkpoint a {@link TrainingCheckpoint} wrote into a folder.
     *
     * @param checkpoints the folder given to {@link TrainingCheckpoint.Builder#setFolder}
     * @return the resume point, or null if the folder holds no complete checkpoint
     * @throws IOException if the checkpoint is unreadable or inconsistent; the message names the file
     */
    public static ResumePoint read(Path checkpoints) throws IOException {
        Path latest = checkpoints.resolve(LATEST);
        String pointer;
        try {
            pointer = Files.readString(latest, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            JsonObject json = JsonParser.parseString(pointer).getAsJsonObject();
            Path folder = checkpoints.resolve(json.get("folder").getAsString());
            JsonObject state =
                    JsonParser.parseString(Files.readString(folder.resolve(STATE), StandardCharsets.UTF_8))
                            .getAsJsonObject();
            int epochs = state.get("epochsDone").getAsInt();
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : state.getAsJsonObject("settings").entrySet()) {
                settings.put(entry.getKey(), entry.getValue().getAsString());
            }
            return new ResumePoint(folder, epochs, settings, state.getAsJsonObject("participants"));
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IOException(
                    "The checkpoint in " + checkpoints + " is corrupt (" + e.getMessage() + "); delete the folder to"
                            + " start over",
                    e);
        }
    }

    /**
     * Refuses to resume with settings other than those the run started with.
     *
     * @param current the settings of the run that wants to resume, as given to {@link
     *     TrainingCheckpoint.Builder#optSettings}
     * @throws IllegalArgumentException naming every setting that differs, with both values
     */
    public void requireSettings(Map<String, String> current) {
        Set<String> keys = new TreeSet<>(settings.keySet());
        keys.addAll(current.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String saved = settings.get(key);
            String now = current.get(key);
            if (!Objects.equals(saved, now)) {
                differences.add(key + " (checkpoint: " + describe(saved) + ", now: " + describe(now) + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot resume: the run was started with other settings: " + String.join(", ", differences)
                            + ". Resume with the same settings, or start over in another output folder");
        }
    }

    private static String describe(String value) {
        return value == null ? "not set" : value;
    }

    /**
     * Returns the number of epochs completed and saved.
     *
     * @return ≥ 1
     */
    public int epochsDone() {
        return epochsDone;
    }

    /**
     * Returns the settings the run was started with.
     *
     * @return setting name → value
     */
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    Path folder() {
        return folder;
    }

    JsonElement participant(String name) {
        return participants == null ? null : participants.get(name);
    }
}
