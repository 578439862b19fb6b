package io.djlprune.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Writes files so that readers see the old content or the complete new content, never a partial file. */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes bytes to a temporary file beside {@code file}, forces them to disk, and moves the result into place.
     *
     * @param file the target
     * @param content the bytes
     * @throws IOException if anything fails; the temporary file is removed and the target is untouched
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + absolute.getFileName(), ".partial");
        try {
            Files.write(temp, content);
            makeReadable(temp, false);
            moveIntoPlace(temp, absolute);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Gives a file or folder made as a private temporary the permissions a normally created one has (rw-r--r--,
     * rwxr-xr-x), so outputs can be read by the services that serve them.
     *
     * @param path the file or folder
     * @param directory whether it is a folder
     * @throws IOException if the permissions cannot be set
     */
    public static void makeReadable(Path path, boolean directory) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(
                    path, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    /**
     * Moves a finished temporary file over the target, atomically where the file system allows.
     *
     * @param temp the finished file
     * @param target the destination
     * @throws IOException if the move fails
     */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a folder and everything in it; a missing folder is nothing to do.
     *
     * @param root the folder (or file)
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Writes a folder's content into a hidden temporary folder beside it and only then puts it in place (replacing
     * a folder of that name), so a process killed while writing leaves no half-written folder under the name.
     *
     * @param target the folder to create or replace
     * @param writer writes the content into the folder it is given
     * @throws IOException if the writer or a move fails; the temporary folder is removed
     */
    public static void writeFolder(Path target, FolderWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = Files.createDirectories(absolute.getParent());
        Path partial = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".partial-");
        try {
            writer.write(partial);
            makeReadable(partial, true);
            deleteTree(absolute);
            Files.move(partial, absolute);
        } finally {
            deleteTree(partial);
        }
    }

    /** Writes the content of a folder, for {@link #writeFolder}. */
    @FunctionalInterface
    public interface FolderWriter {

        /**
         * Writes the content.
         *
         * @param folder the (temporary) folder to write into
         * @throws IOException if something cannot be written
         */
        void write(Path folder) throws IOException;
    }
}
