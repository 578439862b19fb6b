package io.djlprune.benchmarks;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.export.TorchScriptVerifier;
import io.djlprune.export.TorchScriptWriter;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network in the form a latency measurement times: the DJL block's forward in inference mode ({@code djl}), or the
 * {@code .pt} that {@link TorchScriptWriter} writes, loaded back through LibTorch ({@code pt}) after a check that it
 * computes what the block computes, so the timed module is the right one. {@link InferenceLatencyBenchmark} and
 * {@link InterleavedLatency} both time through this, so they time the same thing.
 */
final class TimedNetwork implements AutoCloseable {

    private final Block block;
    private final LoadedTorchScript script;
    private final Path folder;

    private TimedNetwork(Block block, LoadedTorchScript script, Path folder) {
        this.block = block;
        this.script = script;
        this.folder = folder;
    }

    /**
     * Prepares a network for timing.
     *
     * @param form djl or pt
     * @param block the initialised network
     * @param name names the archive in the log
     * @param classifier describes the block's ops, for the export
     * @param input a batch to check the archive with
     * @return the network
     * @throws IOException if the archive cannot be written or read
     * @throws MalformedModelException if LibTorch refuses the archive
     * @throws IllegalArgumentException for an unknown form
     */
    static TimedNetwork of(String form, Block block, String name, OpClassifier classifier, NDArray input)
            throws IOException, MalformedModelException {
        if (form.equals("djl")) {
            return new TimedNetwork(block, null, null);
        }
        if (!form.equals("pt")) {
            throw new IllegalArgumentException("form must be djl or pt, got '" + form + "'");
        }
        Path folder = Files.createTempDirectory("djlprune-bench");
        Path archive = folder.resolve(name + ".pt");
        LoadedTorchScript script = null;
        try {
            TorchScriptWriter.write(block, BenchModels.INPUT, classifier, archive);
            script = LoadedTorchScript.load(archive, input.getDevice());
            double difference = new TorchScriptVerifier().verify(script, archive.toString(), block, new NDList(input));
            System.out.println("# " + archive.getFileName() + ": max |pt - djl| = " + difference);
            return new TimedNetwork(block, script, folder);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            // a refused or mismatching archive must not stay behind in the temporary folder
            if (script != null) {
                script.close();
            }
            try {
                deleteFolder(folder);
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * One forward of one batch. The input is lent to the scope, so the output and every intermediate are freed with
     * it: native memory stays flat however long the measurement runs.
     *
     * @param scope a manager closed after the call
     * @param input the batch
     * @return the first output value, read back so the forward cannot be skipped and a GPU run is synchronised
     */
    float forward(NDManager scope, NDArray input) {
        input.tempAttach(scope);
        NDList output =
                script != null
                        ? script.predict(new NDList(input))
                        : block.forward(new ParameterStore(scope, false), new NDList(input), false);
        output.attach(scope);
        return output.head().toFloatArray()[0];
    }

    /** Frees the loaded module and deletes its archive. */
    @Override
    public void close() {
        if (script != null) {
            script.close();
            deleteFolder(folder);
        }
    }

    private static void deleteFolder(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the benchmark archive in " + folder, e);
        }
    }
}
