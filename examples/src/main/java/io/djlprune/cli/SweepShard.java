package io.djlprune.cli;

import java.util.Map;

/**
 * One of N disjoint shares of a sweep's cells, so N machines (or the pods of a Kubernetes Indexed Job) run a sweep
 * together: cell k (in the sweep's order, budgets × methods) belongs to share k mod N. Shares are numbered from 0, as
 * Kubernetes numbers a Job's completion indexes.
 *
 * @param index this share, in [0, count)
 * @param count the number of shares, ≥ 1
 */
record SweepShard(int index, int count) {

    /** The environment variable a Kubernetes Indexed Job sets to each pod's completion index. */
    static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

    /** The whole sweep: one share. */
    static final SweepShard ALL = new SweepShard(0, 1);

    /**
     * Checks the values.
     *
     * @param index in [0, count)
     * @param count ≥ 1
     */
    SweepShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "--shard I/N needs N ≥ 1 and I in [0, N) (shares count from 0), got " + index + "/" + count);
        }
    }

    /**
     * Parses {@code I/N}, or {@code N} alone with I taken from {@link #INDEX_VARIABLE}.
     *
     * @param text the option's value
     * @param environment the process environment
     * @return the share
     * @throws IllegalArgumentException naming what is wrong
     */
    static SweepShard parse(String text, Map<String, String> environment) {
        String[] parts = text.split("/", -1);
        try {
            if (parts.length == 2) {
                return new SweepShard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
            if (parts.length == 1) {
                String index = environment.get(INDEX_VARIABLE);
                if (index == null) {
                    throw new IllegalArgumentException(
                            "--shard " + text + " takes its index from " + INDEX_VARIABLE + ", which is not set: give"
                                    + " --shard I/N");
                }
                return new SweepShard(Integer.parseInt(index.trim()), Integer.parseInt(parts[0].trim()));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must be I/N or N (whole numbers), got '" + text + "'", e);
        }
        throw new IllegalArgumentException("--shard must be I/N or N, got '" + text + "'");
    }

    /**
     * Whether a cell belongs to this share.
     *
     * @param cell the cell's position in the sweep's order, from 0
     * @return true if this share runs it
     */
    boolean contains(int cell) {
        return cell % count == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
