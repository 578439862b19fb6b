package io.djlprune.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.ops.OpClassifier;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes an initialised DJL block as a TorchScript archive ({@code .pt}) that LibTorch's {@code torch::jit::load},
 * Python's {@code torch.jit.load} and DJL's PyTorch engine load natively. DJL cannot trace or script a module from
 * Java, so the archive (zip container, pickled module tree, TorchScript source) is written directly, following the
 * format facts in {@code docs/TORCHSCRIPT.md}.
 *
 * <pre>
 * TorchScriptWriter.write(block, new Shape(1, 3, 32, 32), classifier, Paths.get("out/model.pt"),
 *         Map.of("mask_plan.json", planJson));
 * </pre>
 *
 * <p>The module is written in eval mode ({@code training = False}); its batch-norm and dropout calls read
 * {@code self.training}, so a PyTorch user can call {@code train()} and fine-tune it. Check the result with
 * {@link TorchScriptVerifier}.
 */
public final class TorchScriptWriter {

    /** The top-level folder of the archive, as LibTorch names it. */
    public static final String ARCHIVE_FOLDER = "archive";

    /** Path segments that cannot escape {@code extra/} (no "..", no leading dot) nor hold the comma DJL splits on. */
    private static final Pattern EXTRA_FILE_NAME =
            Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private TorchScriptWriter() {}

    /**
     * Writes a block without extra files.
     *
     * @param block the initialised block, in the state to export
     * @param inputShape the shape of its single input, batch axis included
     * @param classifier describes its leaf blocks and joins
     * @param target the {@code .pt} file to create or replace
     * @throws IOException if the target cannot be written; no partial file is left
     * @see #write(Block, Shape, OpClassifier, Path, Map)
     */
    public static void write(Block block, Shape inputShape, OpClassifier classifier, Path target) throws IOException {
        write(block, inputShape, classifier, target, Map.of());
    }

    /**
     * Writes a block and extra files. The whole tree is translated before the file system is touched, and the archive
     * is written to a temporary file beside the target and moved into place atomically, so a refused block or a
     * failed write leaves neither a partial archive nor a changed target.
     *
     * @param block the initialised block, in the state to export
     * @param inputShape the shape of its single input, batch axis included
     * @param classifier describes its leaf blocks and joins
     * @param target the {@code .pt} file to create or replace; missing parent folders are created
     * @param extraFiles files stored as {@code extra/<name>} (for example the mask plan and the pruning report), which
     *     a loader reads back by name; names use letters, digits, {@code . _ -} and {@code /} separators
     * @throws IOException if the target cannot be written (the message names the path); no partial file is left
     * @throws io.djlprune.ops.UnsupportedBlockException if the classifier cannot describe a block
     * @throws UnsupportedExportException if a block's op or parameters cannot be written exactly
     * @throws IllegalArgumentException if the block is not initialised or an extra file name is invalid
     */
    public static void write(
            Block block, Shape inputShape, OpClassifier classifier, Path target, Map<String, byte[]> extraFiles)
            throws IOException {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(extraFiles, "extraFiles");
        if (!block.isInitialized()) {
            throw new IllegalArgumentException(
                    "The block must be initialised before export (block.initialize(manager, DataType.FLOAT32, "
                            + inputShape
                            + "))");
        }
        Map<String, byte[]> extras = new TreeMap<>();
        for (Map.Entry<String, byte[]> extra : extraFiles.entrySet()) {
            String name = extra.getKey();
            if (name == null || !EXTRA_FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "Invalid extra file name '" + name + "': use letters, digits, '.', '_', '-' and '/'");
            }
            extras.put(name, Objects.requireNonNull(extra.getValue(), "content of extra file " + name));
        }

        ClassRegistry registry = new ClassRegistry();
        ScriptModule root = new ModuleTreeBuilder(classifier, registry).build(block, inputShape);
        DataPickler.Result data = DataPickler.pickle(root, false);

        Path file = target.toAbsolutePath().normalize();
        Path temporary = createTemporaryBeside(file);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new KeepOpen(Channels.newOutputStream(channel)), 1 << 16);
                try (ArchiveWriter archive = new ArchiveWriter(out, ARCHIVE_FOLDER)) {
                    writeRecords(archive, registry, data, extras);
                }
                // Closing the archive flushed every byte into the channel; make them durable before the rename.
                channel.force(true);
            }
            moveIntoPlace(temporary, file);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IOException) {
                throw new IOException("Could not write TorchScript archive " + file + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static void writeRecords(
            ArchiveWriter archive, ClassRegistry registry, DataPickler.Result data, Map<String, byte[]> extras)
            throws IOException {
        archive.write("data.pkl", data.pickle());
        archive.write(
                "code/" + ModuleClass.QUALIFIER + ".py", registry.source().getBytes(StandardCharsets.UTF_8));
        archive.write("constants.pkl", DataPickler.emptyConstants());
        for (DataPickler.Storage storage : data.storages()) {
            archive.write("data/" + storage.key(), storage.tensor().littleEndianBytes());
        }
        archive.write("version", (registry.formatVersion() + "\n").getBytes(StandardCharsets.US_ASCII));
        archive.write("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> extra : extras.entrySet()) {
            archive.write("extra/" + extra.getKey(), extra.getValue());
        }
    }

    private static Path createTemporaryBeside(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("Cannot write TorchScript archive " + file + ": it is a directory");
        }
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
            // Same folder as the target, so the final move is a rename on one file system. Not createTempFile: its
            // owner-only permissions would carry over to the archive, which a server under another user must read.
            return Files.createFile(parent.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".partial"));
        } catch (IOException e) {
            throw new IOException(
                    "Cannot write TorchScript archive " + file + ": " + parent + " is not a writable folder ("
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage())
                            + ")",
                    e);
        }
    }

    /** Lets the archive close its streams while the channel stays open for {@code force}. */
    private static final class KeepOpen extends FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    private static void moveIntoPlace(Path temporary, Path file) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
