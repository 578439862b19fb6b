package io.djlprune.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every parameter of a block (weights, ψ, BatchNorm statistics) in one file of named arrays, written atomically and
 * read back into the block's own arrays in place, so parameter identity, optimiser routing and parameter-store
 * caches stay valid. Names are the parameter paths {@code block.getParameters()} lists.
 */
public final class ParameterFile {

    private ParameterFile() {}

    /**
     * Writes a block's parameters.
     *
     * @param block an initialised block
     * @param file the file, replaced atomically
     * @throws IOException if it cannot be written
     */
    public static void write(Block block, Path file) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            arrays.put(pair.getKey(), pair.getValue().getArray());
        }
        write(arrays, file);
    }

    /**
     * Writes named arrays (for instance a weight snapshot) in the same format.
     *
     * @param arrays parameter path → array
     * @param file the file, replaced atomically
     * @throws IOException if it cannot be written
     */
    public static void write(Map<String, NDArray> arrays, Path file) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
            NDArray named = entry.getValue().duplicate(); // own name, own lifetime: the original keeps its name
            named.setName(entry.getKey());
            list.add(named);
        }
        try {
            AtomicFiles.write(file, list.encode());
        } finally {
            list.close();
        }
    }

    /**
     * Reads a file written by {@code write} as named arrays.
     *
     * @param file the file
     * @param manager the manager the arrays belong to
     * @return parameter path → array, in file order
     * @throws IOException if the file is missing or not a file of named arrays
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("Parameter file " + file + " is corrupt: " + e.getMessage(), e);
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (NDArray array : list) {
            if (array.getName() == null || arrays.put(array.getName(), array) != null) {
                throw new IOException("Parameter file " + file + " has an unnamed or repeated array");
            }
        }
        return arrays;
    }

    /**
     * Copies a file's arrays into a block's parameters, in place.
     *
     * @param block the block, initialised, of the architecture the file was written from
     * @param file the file
     * @param scope a manager for the arrays read, closed by the caller
     * @throws IOException if the file cannot be read, lacks a parameter of the block, has one the block lacks, or a
     *     shape differs; the message names every mismatch
     */
    public static void readInto(Block block, Path file, NDManager scope) throws IOException {
        Map<String, NDArray> saved = read(file, scope);
        Map<String, NDArray> unused = new HashMap<>(saved);
        StringBuilder problems = new StringBuilder();
        // every mismatch is found before anything is copied, so a file that does not fit leaves the block unchanged
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray value = unused.remove(pair.getKey());
            NDArray target = pair.getValue().getArray();
            if (value == null) {
                problems.append("\n  missing: ").append(pair.getKey());
            } else if (!value.getShape().equals(target.getShape())) {
                problems.append("\n  shape of ")
                        .append(pair.getKey())
                        .append(": file ")
                        .append(value.getShape())
                        .append(", model ")
                        .append(target.getShape());
            }
        }
        for (String extra : unused.keySet()) {
            problems.append("\n  not in the model: ").append(extra);
        }
        if (problems.length() > 0) {
            throw new IOException("Parameter file " + file + " does not fit the model:" + problems);
        }
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray target = pair.getValue().getArray();
            saved.get(pair.getKey()).toDevice(target.getDevice(), false).copyTo(target);
        }
    }
}
