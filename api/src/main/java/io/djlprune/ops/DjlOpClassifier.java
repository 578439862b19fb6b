package io.djlprune.ops;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import io.djlprune.nn.AdaptiveAvgPool2d;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The default {@link OpClassifier}: tells what DJL blocks compute, exactly or not at all.
 *
 * <p>For a leaf block it consults, in order: the rules added to its builder, the rules registered in {@link OpRules}
 * when it was built, and the built-in rules. The built-in rules read DJL's concrete layers ({@code Conv2d},
 * {@code BatchNorm}, {@code Linear}, {@code Dropout}, and djl-prune's {@code AdaptiveAvgPool2d}) and classify DJL's opaque {@code LambdaBlock}s (activations,
 * pooling, flatten, identity) by probing them on designed inputs. Every rule applies to its exact class only; a
 * subclass, or any other class, is refused with an {@link UnsupportedBlockException} naming its path and type.
 *
 * <p>A classifier is immutable once built and safe to share between threads.
 *
 * <pre>{@code
 * OpClassifier classifier = DjlOpClassifier.builder()
 *         .addRule(MyScale.class, (block, shape, path) -> new ActivationOp(ActivationOp.Kind.RELU, 0))
 *         .build();
 * }</pre>
 */
public final class DjlOpClassifier implements OpClassifier {

    private static final Map<Class<? extends Block>, OpRule> BUILT_IN =
            Map.of(
                    Conv2d.class, LayerRules::conv2d,
                    BatchNorm.class, LayerRules::batchNorm,
                    Linear.class, LayerRules::linear,
                    Dropout.class, LayerRules::dropout,
                    AdaptiveAvgPool2d.class, LayerRules::adaptiveAvgPool2d,
                    LambdaBlock.class, new LambdaProbe());

    private final Map<Class<? extends Block>, OpRule> rules;

    private DjlOpClassifier(Map<Class<? extends Block>, OpRule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a classifier with the rules registered in {@link OpRules} now and the built-in rules.
     *
     * @return a new classifier
     */
    public static DjlOpClassifier newInstance() {
        return builder().build();
    }

    /** {@inheritDoc} */
    @Override
    public Op classify(Block block, Shape inputShape, String path) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(inputShape, "inputShape");
        OpRule rule = rules.get(block.getClass());
        if (rule == null) {
            if (block.getClass() == SequentialBlock.class || block.getClass() == ParallelBlock.class) {
                throw new IllegalArgumentException(
                        "'" + path + "' is a " + block.getClass().getSimpleName()
                                + ", a container: walk its children instead of classifying it");
            }
            rule = BUILT_IN.get(block.getClass());
        }
        if (rule == null) {
            throw new UnsupportedBlockException(
                    path,
                    block.getClass().getName(),
                    "djl-prune has no rule for this class (built-in rules cover exactly Conv2d, BatchNorm, Linear,"
                            + " Dropout, AdaptiveAvgPool2d and LambdaBlock, not their subclasses)");
        }
        Op op = rule.describe(block, inputShape, path);
        if (op == null) {
            throw new IllegalStateException(
                    "The rule for " + block.getClass().getName() + " returned null for '" + path + "'");
        }
        return op;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The join function is read from the block and called on designed arrays of the given shapes; a sum or a
     * concatenation is recognised, each optionally followed by an element-wise activation. Subclasses of
     * {@code ParallelBlock} are refused, because they may override how branches are run or merged.
     */
    @Override
    public JoinOp classifyJoin(ParallelBlock block, Shape[] branchOutputShapes, String path) {
        Objects.requireNonNull(block, "block");
        if (block.getClass() != ParallelBlock.class) {
            throw new UnsupportedBlockException(
                    path,
                    block.getClass().getName(),
                    "it subclasses ParallelBlock and may merge its branches differently; only ParallelBlock itself is"
                            + " probed");
        }
        int branches = block.getChildren().size();
        if (branchOutputShapes.length != branches) {
            throw new IllegalArgumentException(
                    "'" + path + "' has " + branches + " branches but " + branchOutputShapes.length
                            + " branch output shapes were given");
        }
        if (branches == 0) {
            throw new UnsupportedBlockException(path, block.getClass().getName(), "it has no branches");
        }
        return new JoinProbe(block, branchOutputShapes, path).classify();
    }

    /** Builds a {@link DjlOpClassifier}. */
    public static final class Builder {

        private final Map<Class<? extends Block>, OpRule> rules = new HashMap<>();
        private boolean globalRules = true;

        /** Created through {@link DjlOpClassifier#builder()}. */
        Builder() {}

        /**
         * Adds a rule for blocks of exactly {@code blockClass}, used before any rule of {@link OpRules} and before
         * the built-in rules; a later rule for the same class replaces an earlier one.
         *
         * @param blockClass the block class
         * @param rule the rule
         * @return this builder
         */
        public Builder addRule(Class<? extends Block> blockClass, OpRule rule) {
            rules.put(Objects.requireNonNull(blockClass, "blockClass"), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Sets whether the classifier copies the rules registered in {@link OpRules} when it is built (default true).
         * Turn it off where other code in the same JVM must not influence the result, such as a library or a test.
         *
         * @param use whether to use the global rules
         * @return this builder
         */
        public Builder optGlobalRules(boolean use) {
            this.globalRules = use;
            return this;
        }

        /**
         * Builds the classifier, copying the rules so that later registrations do not change it.
         *
         * @return the classifier
         */
        public DjlOpClassifier build() {
            Map<Class<? extends Block>, OpRule> all = new HashMap<>();
            if (globalRules) {
                all.putAll(OpRules.snapshot());
            }
            all.putAll(rules);
            return new DjlOpClassifier(all);
        }
    }
}
