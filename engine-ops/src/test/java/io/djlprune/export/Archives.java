package io.djlprune.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Test helpers that read archives and write deliberately broken copies of them. */
final class Archives {

    private Archives() {}

    /** Returns every record of an archive by its full name, in file order. */
    static Map<String, byte[]> records(Path file) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    records.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return records;
    }

    /**
     * Copies an archive record by record through a transform, which gets the name inside {@code archive/} and the
     * bytes and returns the new bytes, or null to drop the record.
     */
    static void rewrite(Path source, Path target, BiFunction<String, byte[], byte[]> transform) throws IOException {
        Map<String, byte[]> records = records(source);
        try (OutputStream out = Files.newOutputStream(target);
                ArchiveWriter archive = new ArchiveWriter(out, TorchScriptWriter.ARCHIVE_FOLDER)) {
            for (Map.Entry<String, byte[]> record : records.entrySet()) {
                String name = record.getKey().substring(TorchScriptWriter.ARCHIVE_FOLDER.length() + 1);
                byte[] data = transform.apply(name, record.getValue());
                if (data != null) {
                    archive.write(name, data);
                }
            }
        }
    }
}
