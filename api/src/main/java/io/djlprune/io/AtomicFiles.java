package io.djlprune.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
            moveIntoPlace(temp, absolute);
        } finally {
            Files.deleteIfExists(temp);
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
}
