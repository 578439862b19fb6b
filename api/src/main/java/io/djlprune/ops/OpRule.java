package io.djlprune.ops;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * Describes what one class of block computes; the way a user teaches djl-prune a custom block. Register it for a
 * block class with {@link DjlOpClassifier.Builder#addRule(Class, OpRule)} or, JVM-wide, with
 * {@link OpRules#register(Class, OpRule)}.
 *
 * <p>A rule must return an exact description or throw {@link UnsupportedBlockException}; it must never return an
 * approximation, because the cost model, the compactor and the exporter all act on what it says.
 */
@FunctionalInterface
public interface OpRule {

    /**
     * Describes {@code block}.
     *
     * @param block the block, an instance of the class the rule is registered for
     * @param inputShape the shape of its single input, batch axis included
     * @param path the block's path in the tree, for error messages
     * @return what the block computes for that input shape; never {@code null}
     * @throws UnsupportedBlockException if this particular block cannot be described
     */
    Op describe(Block block, Shape inputShape, String path);
}
