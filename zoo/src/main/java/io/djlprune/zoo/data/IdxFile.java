package io.djlprune.zoo.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one file in LeCun's IDX format (unsigned bytes), gzipped as Fashion-MNIST and MNIST ship them, and checks
 * its header: magic number, dimension count and sizes, and that exactly the announced number of bytes follows.
 *
 * @param dims the sizes of every dimension, the first being the number of samples
 * @param data the values, row-major
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    /**
     * Reads and checks a gzipped IDX file.
     *
     * @param file the {@code .gz} file
     * @param expectedDims how many dimensions it must have (3 for images, 1 for labels)
     * @param remedy the sentence to append to every error, saying how to get good files
     * @return the parsed file
     * @throws DataUnavailableException if the file is missing, unreadable, not gzip, or not a well-formed IDX file
     */
    public static IdxFile read(Path file, int expectedDims, String remedy) throws DataUnavailableException {
        if (!Files.isRegularFile(file)) {
            throw new DataUnavailableException("Data file " + file + " does not exist. " + remedy);
        }
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in =
                        new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16))) {
            int magic = in.readInt();
            int type = (magic >>> 8) & 0xFF;
            int dimCount = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dimCount != expectedDims) {
                throw new DataUnavailableException(
                        String.format(
                                "Data file %s is corrupt: IDX magic 0x%08X, expected unsigned bytes in %d"
                                        + " dimensions. %s",
                                file, magic, expectedDims, remedy));
            }
            int[] dims = new int[dimCount];
            long total = 1;
            for (int i = 0; i < dimCount; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) {
                    throw new DataUnavailableException(
                            "Data file " + file + " is corrupt: dimension " + i + " is " + dims[i] + ". " + remedy);
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE) {
                throw new DataUnavailableException(
                        "Data file " + file + " announces " + total + " values, more than one array holds.");
            }
            byte[] data = new byte[(int) total];
            in.readFully(data);
            if (in.read() != -1) {
                throw new DataUnavailableException(
                        "Data file " + file + " is corrupt: it has bytes after the " + total + " announced. " + remedy);
            }
            return new IdxFile(dims, data);
        } catch (EOFException e) {
            throw new DataUnavailableException("Data file " + file + " is truncated. " + remedy, e);
        } catch (ZipException e) {
            throw new DataUnavailableException(
                    "Data file " + file + " is not a valid gzip file (" + e.getMessage() + "). " + remedy, e);
        } catch (DataUnavailableException e) {
            throw e;
        } catch (IOException e) {
            throw new DataUnavailableException(
                    "Data file " + file + " cannot be read (" + e.getMessage() + "). " + remedy, e);
        }
    }

    /**
     * Returns the number of samples (the first dimension).
     *
     * @return the sample count
     */
    public int count() {
        return dims[0];
    }
}
