package io.djlprune.cost;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link LatencyTable} stored as JSON, written to a temporary name and moved into place. A stored table is used only
 * when its {@link LatencyKey} equals the one asked for; otherwise {@link #read} says which fields differ.
 */
public final class LatencyTableFile {

    /**
     * The version of the stored form this code reads and writes; 2 replaced version 1's fixed part by the calibration
     * against whole networks, so a version-1 file is measured again.
     */
    public static final int FORMAT_VERSION = 2;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private LatencyTableFile() {}

    /** What a read found: the table, or why none can be used. */
    public record Lookup(LatencyTable table, String refusal) {

        /**
         * Returns whether the stored table can be used.
         *
         * @return true when there is a table
         */
        public boolean found() {
            return table != null;
        }
    }

    /** The stored form; records are built through their constructors, so a stored table is checked as it is read. */
    private record Stored(
            int formatVersion,
            LatencyKey key,
            double denseMillis,
            LatencyCalibration calibration,
            List<LatencyTable.LayerTimes> layers) {}

    /**
     * Writes a table atomically.
     *
     * @param table the table
     * @param file the file
     * @throws IOException if it cannot be written
     */
    public static void write(LatencyTable table, Path file) throws IOException {
        Stored stored =
                new Stored(FORMAT_VERSION, table.getKey(), table.getDenseMillis(), table.getCalibration(), table.getLayers());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, GSON.toJson(stored).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a stored table if it was measured for the key.
     *
     * @param file the file
     * @param expected the key the caller needs
     * @return the table, or the reason it cannot be used (no file, another format, another key: which fields differ)
     * @throws IOException if the file exists but cannot be read or is not a latency table
     */
    public static Lookup read(Path file, LatencyKey expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Lookup(null, "there is no latency table at " + file);
        }
        Stored stored;
        try {
            stored = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
        } catch (RuntimeException e) {
            // Gson's parse errors, and the checks of the stored records, which Gson wraps when it builds them
            throw new IOException(file + " is not a latency table: " + e.getMessage()
                    + ". Delete it to have the table measured again.", e);
        }
        if (stored == null || stored.key() == null || stored.layers() == null) {
            throw new IOException(file + " is not a latency table: it has no key or no layers."
                    + " Delete it to have the table measured again.");
        }
        if (stored.formatVersion() != FORMAT_VERSION) {
            return new Lookup(null, file + " has format version " + stored.formatVersion() + ", this djl-prune reads "
                    + FORMAT_VERSION);
        }
        List<String> differences = expected.differences(stored.key());
        if (!differences.isEmpty()) {
            return new Lookup(null, file + " was measured for another set-up (needed ≠ stored: "
                    + String.join(", ", differences) + ")");
        }
        try {
            return new Lookup(new LatencyTable(stored.key(), stored.denseMillis(), stored.calibration(), stored.layers()),
                    null);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid latency table: " + e.getMessage(), e);
        }
    }
}
