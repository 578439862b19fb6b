package io.djlprune.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A TorchScript archive loaded through DJL's PyTorch engine, which is LibTorch's own {@code torch::jit::load}: what a
 * DJL or LibTorch server will see when it serves the file. Also reads the archive's extra files.
 *
 * <pre>
 * try (LoadedTorchScript script = LoadedTorchScript.load(path, Device.cpu(), "mask_plan.json")) {
 *     NDList out = script.predict(inputs);
 *     String plan = script.extraFile("mask_plan.json").orElseThrow();
 * }
 * </pre>
 */
public final class LoadedTorchScript implements AutoCloseable {

    private final Model model;
    private final Set<String> requested;
    private final Map<String, String> extraFiles;

    private LoadedTorchScript(Model model, Set<String> requested, Map<String, String> extraFiles) {
        this.model = model;
        this.requested = requested;
        this.extraFiles = extraFiles;
    }

    /**
     * Loads a {@code .pt} file of any name. DJL's {@code PtModel} accepts a file path as the model path and passes the
     * {@code extraFiles} option (comma-separated names) to LibTorch, returning their contents as model properties.
     *
     * @param file the archive
     * @param device where to place the module's tensors
     * @param extraFileNames the extra files to read (names under {@code extra/}, without commas)
     * @return the loaded module; close it
     * @throws IOException if the file does not exist or cannot be read
     * @throws MalformedModelException if LibTorch refuses the archive; the message carries LibTorch's reason
     */
    public static LoadedTorchScript load(Path file, Device device, String... extraFileNames)
            throws IOException, MalformedModelException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no TorchScript archive there");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : extraFileNames) {
            if (name.isEmpty() || name.contains(",")) {
                throw new IllegalArgumentException("Extra file names must be non-empty and without commas: " + name);
            }
            names.add(name);
        }
        Set<String> present = extraFilesIn(file);
        Map<String, Object> options = new HashMap<>();
        options.put("mapLocation", "true");
        if (!names.isEmpty()) {
            options.put("extraFiles", String.join(",", names));
        }
        Model model = Model.newInstance(file.getFileName().toString(), device, Engines.PYTORCH);
        try {
            model.load(file, null, options);
            Map<String, String> extras = new HashMap<>();
            for (String name : names) {
                // LibTorch leaves the value of a missing extra file untouched, so absence is read from the zip itself.
                if (present.contains(name)) {
                    extras.put(name, model.getProperty(name));
                }
            }
            return new LoadedTorchScript(
                    model, Collections.unmodifiableSet(names), Collections.unmodifiableMap(extras));
        } catch (EngineException e) {
            model.close();
            throw new MalformedModelException(
                    "LibTorch refused TorchScript archive " + file + ": " + e.getMessage(), e);
        } catch (IOException | MalformedModelException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /**
     * Returns the DJL model holding the loaded module (a {@code PtSymbolBlock}).
     *
     * @return the model, closed with this object
     */
    public Model getModel() {
        return model;
    }

    /**
     * Returns the contents of an extra file read at load time.
     *
     * @param name the name passed to {@link #load}
     * @return the contents (decoded as UTF-8 by the engine), or empty if the archive has no such file
     * @throws IllegalArgumentException if the name was not requested at load time
     */
    public Optional<String> extraFile(String name) {
        if (!requested.contains(name)) {
            throw new IllegalArgumentException("Extra file '" + name + "' was not requested when loading");
        }
        return Optional.ofNullable(extraFiles.get(name));
    }

    /**
     * Runs the module's forward in inference mode (eval: batch norm uses running statistics, dropout is off).
     *
     * @param inputs the inputs, on the module's device
     * @return the outputs, attached to the first input's manager
     */
    public NDList predict(NDList inputs) {
        ParameterStore store = new ParameterStore(inputs.head().getManager(), false);
        return model.getBlock().forward(store, inputs, false);
    }

    /** Releases the native module. */
    @Override
    public void close() {
        model.close();
    }

    private static Set<String> extraFilesIn(Path file) throws IOException, MalformedModelException {
        Set<String> names = new LinkedHashSet<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                int slash = entry.indexOf('/');
                String inFolder = slash < 0 ? entry : entry.substring(slash + 1);
                if (inFolder.startsWith("extra/")) {
                    names.add(inFolder.substring("extra/".length()));
                }
            }
        } catch (ZipException e) {
            throw new MalformedModelException(
                    file + " is not a TorchScript archive (not a zip: " + e.getMessage() + ")", e);
        }
        return names;
    }
}
