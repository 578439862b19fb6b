package io.djlprune.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * An output directory that appears only when complete: everything is written into a hidden staging folder beside
 * the target, and {@link #commit()} moves it into place. Closing without committing deletes the staging folder, so
 * a failed or interrupted run leaves no partial output and never touches what was already at the target. A JVM that
 * is stopped (Ctrl-C, SIGTERM) before closing removes the staging folder on its way out.
 *
 * <pre>
 * try (StagedDirectory out = StagedDirectory.create(target, false)) {
 *     model.save(out.path(), "lenet5");
 *     out.commit();
 * }
 * </pre>
 */
public final class StagedDirectory implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private final Thread removeOnExit;
    private boolean committed;
    private boolean closed;

    private StagedDirectory(Path target, Path staging, boolean overwrite) {
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
        this.removeOnExit = new Thread(this::removeAtShutdown, "remove " + staging.getFileName());
        Runtime.getRuntime().addShutdownHook(removeOnExit);
    }

    /**
     * Checks the target and creates the staging folder, so an unwritable destination fails before any work is done.
     *
     * @param target the directory the output must end up in
     * @param overwrite whether files already in a non-empty target may be replaced
     * @return the staged directory
     * @throws IOException if the target is a file, is a non-empty directory without {@code overwrite}, or its parent
     *     cannot be created or written; the message names the path
     */
    public static StagedDirectory create(Path target, boolean overwrite) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new FileAlreadyExistsException(absolute.toString(), null, "exists and is not a directory");
        }
        if (!overwrite && isNonEmptyDirectory(absolute)) {
            throw new FileAlreadyExistsException(
                    absolute.toString(), null, "is not empty; choose another output or allow overwriting");
        }
        Path parent = absolute.getParent();
        try {
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".partial-");
            AtomicFiles.makeReadable(staging, true);
            return new StagedDirectory(absolute, staging, overwrite);
        } catch (IOException e) {
            throw new IOException("Cannot write to " + parent + ": " + describe(e), e);
        }
    }

    /**
     * Returns the staging folder to write into.
     *
     * @return the staging path
     */
    public Path path() {
        return staging;
    }

    /**
     * Returns where the output ends up.
     *
     * @return the target directory
     */
    public Path target() {
        return target;
    }

    /**
     * Moves the staged output into place: the whole folder at once when the target does not exist, else file by
     * file, each replaced atomically where the file system allows.
     *
     * @throws IOException if a move fails
     */
    public synchronized void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("The staged output for " + target + " was already closed or removed");
        }
        if (!Files.exists(target)) {
            AtomicFiles.moveIntoPlace(staging, target);
        } else {
            if (!overwrite && isNonEmptyDirectory(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "was filled by someone else meanwhile");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging)) {
                for (Path entry : entries) {
                    Path destination = target.resolve(entry.getFileName().toString());
                    if (Files.isDirectory(destination)) {
                        AtomicFiles.deleteTree(destination);
                    }
                    AtomicFiles.moveIntoPlace(entry, destination);
                }
            }
            Files.delete(staging);
        }
        committed = true;
    }

    /** Deletes the staging folder unless the output was committed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it finds this object closed and leaves the folder alone
        }
        if (!committed) {
            try {
                AtomicFiles.deleteTree(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not remove the partial output " + staging, e);
            }
        }
    }

    /** The shutdown hook: the JVM is stopping before this was closed, so the staged output is partial. */
    private synchronized void removeAtShutdown() {
        if (closed || committed) {
            return;
        }
        closed = true;
        try {
            AtomicFiles.deleteTree(staging);
        } catch (IOException e) {
            // nothing can be thrown to anyone at shutdown; say what is left behind
            System.err.println("djl-prune: could not remove the partial output " + staging + ": " + describe(e));
        }
    }

    private static boolean isNonEmptyDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isPresent();
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
