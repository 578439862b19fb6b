package io.djlprune.ops;

import ai.djl.nn.Block;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide registry of {@link OpRule}s for custom block classes: register a rule once at start-up and every
 * {@link DjlOpClassifier} built afterwards uses it.
 *
 * <p>Why a global registry at all: the channel graph, cost model, compactor and exporter each build a classifier, and a
 * user who meets an {@link UnsupportedBlockException} deep inside one of them needs one place to teach all of them.
 * Why it cannot leak into classifiers that already exist: {@link DjlOpClassifier.Builder#build()} copies the registry,
 * so a classifier never changes after it is built and code that must not see other users' rules builds its classifier
 * with {@link DjlOpClassifier.Builder#optGlobalRules(boolean) optGlobalRules(false)} and its own
 * {@link DjlOpClassifier.Builder#addRule(Class, OpRule) addRule} calls.
 *
 * <p>A rule applies to exactly the registered class, not to its subclasses, because a subclass may override
 * {@code forward} and compute something else.
 */
public final class OpRules {

    private static final Map<Class<? extends Block>, OpRule> RULES = new ConcurrentHashMap<>();

    private OpRules() {}

    /**
     * Registers {@code rule} for blocks of exactly {@code blockClass}, replacing any rule registered for it before.
     * Classifiers built from now on consult it before the built-in rules.
     *
     * @param blockClass the block class the rule describes
     * @param rule the rule
     */
    public static void register(Class<? extends Block> blockClass, OpRule rule) {
        RULES.put(
                Objects.requireNonNull(blockClass, "blockClass"),
                Objects.requireNonNull(rule, "rule"));
    }

    /**
     * Removes the rule registered for {@code blockClass}, if any. Classifiers already built keep it.
     *
     * @param blockClass the block class
     * @return whether a rule was removed
     */
    public static boolean unregister(Class<? extends Block> blockClass) {
        return RULES.remove(blockClass) != null;
    }

    /**
     * Returns a copy of the rules registered now, for a classifier to keep.
     *
     * @return an immutable copy
     */
    static Map<Class<? extends Block>, OpRule> snapshot() {
        return Map.copyOf(RULES);
    }
}
