package io.djlprune.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the zip container of a TorchScript archive the way LibTorch's {@code PyTorchStreamWriter} does: every record
 * under one top-level folder, stored uncompressed, and each record's data starting on a 64-byte boundary (a padding
 * extra field with id {@code "FB"} fills the local header), so memory-mapping readers can use tensors in place.
 *
 * <pre>
 * try (ArchiveWriter archive = new ArchiveWriter(out, "archive")) {
 *     archive.write("version", "3\n".getBytes(StandardCharsets.US_ASCII));
 * }
 * </pre>
 */
final class ArchiveWriter implements AutoCloseable {

    /** LibTorch's {@code kFieldAlignment}. */
    static final int ALIGNMENT = 64;

    private static final int LOCAL_HEADER_SIZE = 30;
    private static final int PADDING_FIELD_HEADER = 4;
    private static final int PADDING_FIELD_ID = 'F' | ('B' << 8);
    /** A fixed time keeps archives byte-identical across runs; inside the DOS range, so no timestamp extra is added. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final CountingStream counter;
    private final ZipOutputStream zip;
    private final String folder;
    private final Set<String> written = new HashSet<>();

    /**
     * Starts an archive on a stream.
     *
     * @param out where the zip bytes go; closed with this writer
     * @param folder the top-level folder every record sits in (LibTorch uses {@code archive})
     */
    ArchiveWriter(OutputStream out, String folder) {
        if (!folder.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("Invalid archive folder name: " + folder);
        }
        this.counter = new CountingStream(out);
        this.zip = new ZipOutputStream(counter);
        this.folder = folder;
    }

    /**
     * Adds one record, for example {@code data.pkl} or {@code data/0}.
     *
     * @param name the record name inside the folder
     * @param data the record's bytes
     * @throws IOException if the stream fails
     */
    void write(String name, byte[] data) throws IOException {
        String fullName = folder + "/" + name;
        if (!written.add(fullName)) {
            throw new IllegalArgumentException("Duplicate archive record " + fullName);
        }
        byte[] nameBytes = fullName.getBytes(StandardCharsets.UTF_8);
        long dataStart = counter.count() + LOCAL_HEADER_SIZE + nameBytes.length + PADDING_FIELD_HEADER;
        int padding = (int) ((ALIGNMENT - dataStart % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[PADDING_FIELD_HEADER + padding];
        extra[0] = (byte) PADDING_FIELD_ID;
        extra[1] = (byte) (PADDING_FIELD_ID >>> 8);
        extra[2] = (byte) padding;
        extra[3] = (byte) (padding >>> 8);
        Arrays.fill(extra, PADDING_FIELD_HEADER, extra.length, (byte) 'Z');

        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry entry = new ZipEntry(fullName);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        entry.setExtra(extra);
        // A byte[] is below 2 GiB, so Java never adds a ZIP64 field to the local header and the arithmetic above
        // holds; the check below still refuses to write a misaligned record if that ever changes.
        zip.putNextEntry(entry);
        if (counter.count() % ALIGNMENT != 0) {
            // Only reachable if the JDK changed its local header layout; refuse rather than write a misaligned file.
            throw new IllegalStateException(
                    "Record " + fullName + " would start at offset " + counter.count() + ", not 64-byte aligned");
        }
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Writes the central directory and closes the stream.
     *
     * @throws IOException if the stream fails
     */
    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Counts the bytes that pass, to know where the next local header starts. */
    private static final class CountingStream extends FilterOutputStream {

        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
