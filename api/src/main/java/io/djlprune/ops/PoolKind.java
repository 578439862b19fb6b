package io.djlprune.ops;

/** The reduction a pooling op applies. */
public enum PoolKind {
    /** The maximum of the window. */
    MAX,
    /** The mean of the window. */
    AVG
}
