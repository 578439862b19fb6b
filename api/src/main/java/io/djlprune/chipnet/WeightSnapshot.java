package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.djlprune.checkpoint.ParameterFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of every parameter of a block, taken when the {@link Pruner} finds a new best epoch and written back when
 * training ends. The copies live on the parameters' device in their own manager, so closing the snapshot frees them
 * at once and a long run holds one snapshot at a time.
 */
final class WeightSnapshot implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray> copies = new LinkedHashMap<>();

    private WeightSnapshot(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Copies every parameter of a block.
     *
     * @param block the block
     * @param parent the manager the snapshot's own manager is created under
     * @return the snapshot
     */
    static WeightSnapshot of(Block block, NDManager parent) {
        WeightSnapshot snapshot = new WeightSnapshot(parent.newSubManager());
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray copy = pair.getValue().getArray().duplicate();
            copy.attach(snapshot.manager);
            snapshot.copies.put(pair.getKey(), copy);
        }
        return snapshot;
    }

    /**
     * Writes the copies back into the block's parameters, in place (optimiser state and parameter identity stay).
     *
     * @param block the block the snapshot was taken of
     * @throws IllegalStateException if a parameter of the block was not in the snapshot
     */
    void restore(Block block) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray saved = copies.get(pair.getKey());
            if (saved == null) {
                throw new IllegalStateException(
                        "Parameter " + pair.getKey() + " was not in the snapshot: the block changed since it was taken");
            }
            saved.copyTo(pair.getValue().getArray());
        }
    }

    /**
     * Writes the copies to a file (see {@link ParameterFile}).
     *
     * @param file the file, replaced atomically
     * @throws IOException if it cannot be written
     */
    void writeTo(Path file) throws IOException {
        ParameterFile.write(copies, file);
    }

    /**
     * Reads a snapshot written by {@link #writeTo}.
     *
     * @param file the file
     * @param parent the manager the snapshot's own manager is created under
     * @return the snapshot
     * @throws IOException if the file cannot be read
     */
    static WeightSnapshot readFrom(Path file, NDManager parent) throws IOException {
        WeightSnapshot snapshot = new WeightSnapshot(parent.newSubManager());
        try {
            snapshot.copies.putAll(ParameterFile.read(file, snapshot.manager));
        } catch (IOException | RuntimeException e) {
            snapshot.close();
            throw e;
        }
        return snapshot;
    }

    /** Frees the copies. */
    @Override
    public void close() {
        manager.close();
    }
}
