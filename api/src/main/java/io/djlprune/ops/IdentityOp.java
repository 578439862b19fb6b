package io.djlprune.ops;

/** A block that returns its input unchanged. */
public record IdentityOp() implements Op {}
