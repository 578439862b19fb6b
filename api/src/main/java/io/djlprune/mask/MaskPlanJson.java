package io.djlprune.mask;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A {@link MaskPlan} as JSON ({@code plan.json}, and the plan inside every exported model): writing it atomically,
 * and reading it back with every field checked, so a truncated, hand-edited or future-format plan is refused with a
 * message that names the file and the problem.
 */
public final class MaskPlanJson {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private MaskPlanJson() {}

    /**
     * Returns a plan as JSON.
     *
     * @param plan the plan
     * @return pretty-printed JSON
     */
    public static String toJson(MaskPlan plan) {
        return GSON.toJson(plan);
    }

    /**
     * Parses and checks a plan.
     *
     * @param json the JSON text
     * @param source where it came from, for error messages
     * @return the plan
     * @throws IOException if the text is not a complete plan of a known format, saying what is wrong
     */
    public static MaskPlan fromJson(String json, String source) throws IOException {
        MaskPlan plan;
        try {
            plan = GSON.fromJson(json, MaskPlan.class);
        } catch (JsonParseException | NumberFormatException e) {
            throw new IOException("Mask plan " + source + " is not valid plan JSON: " + e.getMessage(), e);
        }
        if (plan == null) {
            throw new IOException("Mask plan " + source + " is empty");
        }
        plan.validate(source);
        plan.setSource(source);
        return plan;
    }

    /**
     * Writes a plan atomically (a temporary file moved into place).
     *
     * @param plan the plan
     * @param file the target file
     * @throws IOException if it cannot be written; nothing partial is left
     */
    public static void save(MaskPlan plan, Path file) throws IOException {
        AtomicFiles.write(file, toJson(plan).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads and checks a plan file.
     *
     * @param file the file
     * @return the plan
     * @throws IOException if the file is missing, unreadable or not a valid plan, naming the file
     */
    public static MaskPlan load(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException("Mask plan " + file + " does not exist", e);
        }
    }
}
