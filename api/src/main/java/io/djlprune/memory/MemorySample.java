package io.djlprune.memory;

import java.util.Locale;

/**
 * The native memory of the process at one moment, as a training log line and a report carry it.
 *
 * @param residentBytes the process's resident set size in bytes, or -1 where the operating system does not report it
 * @param liveArrays the native arrays alive in the engine's manager tree that the training managers belong to; a
 *     count that grows from step to step is a leak, whatever the allocator does with the bytes
 */
public record MemorySample(long residentBytes, int liveArrays) {

    /**
     * Returns the resident memory in MiB, NaN if unknown.
     *
     * @return MiB
     */
    public double residentMiB() {
        return residentBytes < 0 ? Double.NaN : residentBytes / (1024.0 * 1024.0);
    }

    /**
     * Returns the form used in log lines, e.g. {@code rss 612 MiB, 28 live arrays}.
     *
     * @return the text
     */
    public String toText() {
        String rss = residentBytes < 0 ? "rss n/a" : String.format(Locale.ROOT, "rss %.0f MiB", residentMiB());
        return rss + ", " + liveArrays + " live arrays";
    }
}
