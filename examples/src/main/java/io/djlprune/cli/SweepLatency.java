package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.djlprune.engine.Latency;
import io.djlprune.engine.LatencyProbe;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latency of the {@code model.pt} in a sweep folder (a cell's, or the dense model's), timed once with
 * {@link LatencyProbe} and kept beside it as {@code latency.json}, so a resumed sweep does not time finished cells
 * again. A stored latency measured another way (other batch size, device, warm-up or repeats) is timed again, so every
 * row of a sweep compares like with like.
 */
final class SweepLatency {

    /** The file beside {@code model.pt} that holds its latency. */
    static final String FILE = "latency.json";

    private static final Logger logger = LoggerFactory.getLogger(SweepLatency.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final LatencyProbe probe;
    private final Device device;
    private final Shape batchShape;
    private final int warmup;
    private final int repeats;

    /**
     * Creates the measurement every folder of one sweep shares.
     *
     * @param device where to run the models
     * @param batchShape the timed input, batch size first
     * @param warmup untimed forwards
     * @param repeats timed forwards
     */
    SweepLatency(Device device, Shape batchShape, int warmup, int repeats) {
        this.probe = LatencyProbe.builder().optWarmup(warmup).optRepeats(repeats).build();
        this.device = device;
        this.batchShape = batchShape;
        this.warmup = warmup;
        this.repeats = repeats;
    }

    /**
     * Returns the latency of {@code dir/model.pt}: the stored one when it was measured this way, else a new
     * measurement, which is then stored atomically.
     *
     * @param dir the folder with {@code model.pt}
     * @return the latency
     * @throws IOException if the archive cannot be read or the result cannot be written
     * @throws MalformedModelException if LibTorch refuses the archive
     */
    Latency measureOnce(Path dir) throws IOException, MalformedModelException {
        Optional<Latency> stored = read(dir);
        if (stored.isPresent() && sameMeasurement(stored.get())) {
            return stored.get();
        }
        Latency latency = probe.measure(dir.resolve(PruneCommand.MODEL_FILE), device, batchShape);
        AtomicFiles.write(dir.resolve(FILE), GSON.toJson(latency).getBytes(StandardCharsets.UTF_8));
        return latency;
    }

    /**
     * Reads a folder's stored latency.
     *
     * @param dir the folder
     * @return the latency, or empty if there is none or it cannot be parsed (it is then timed again)
     * @throws IOException if the file exists but cannot be read
     */
    static Optional<Latency> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Latency latency = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Latency.class);
            if (latency == null || latency.device() == null || !(latency.medianMs() > 0)) {
                logger.warn("{} holds no latency; timing {} again", file, PruneCommand.MODEL_FILE);
                return Optional.empty();
            }
            return Optional.of(latency);
        } catch (JsonParseException e) {
            logger.warn("{} is not a latency ({}); timing {} again", file, e.getMessage(), PruneCommand.MODEL_FILE);
            return Optional.empty();
        }
    }

    private boolean sameMeasurement(Latency stored) {
        return stored.batchSize() == batchShape.get(0)
                && stored.device().equals(device.toString())
                && stored.warmup() == warmup
                && stored.repeats() == repeats;
    }
}
