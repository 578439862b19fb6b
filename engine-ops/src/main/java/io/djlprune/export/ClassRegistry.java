package io.djlprune.export;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names the module classes of one export and collects their source into {@code code/__torch__.py}. Equal class
 * descriptions share one class; differing variants of the same kind get numbered names ({@code Conv2d},
 * {@code Conv2d_1}, …) in the order they are first met, so the same network always gives the same file.
 */
final class ClassRegistry {

    /** Stands for the class's own name while comparing descriptions; cannot occur in generated source. */
    private static final String SELF = "\u0000SELF\u0000";

    private final Map<String, String> namesBySource = new HashMap<>();
    private final Map<String, Integer> variantsByBaseName = new HashMap<>();
    private final Map<String, String> sourcesByName = new LinkedHashMap<>();
    private boolean usesGelu;

    /**
     * Returns the name of the class the description renders to, defining the class on first use.
     *
     * @param description the class description
     * @return the unqualified class name
     */
    String define(ModuleClass description) {
        String key = description.render(SELF);
        String existing = namesBySource.get(key);
        if (existing != null) {
            return existing;
        }
        int variant = variantsByBaseName.merge(description.baseName(), 1, Integer::sum) - 1;
        String name = variant == 0 ? description.baseName() : description.baseName() + "_" + variant;
        namesBySource.put(key, name);
        sourcesByName.put(name, description.render(name));
        usesGelu |= key.contains(AtenCalls.GELU);
        return name;
    }

    /**
     * Returns the text of {@code code/__torch__.py}: every class, children before the modules that hold them.
     *
     * @return the source file
     */
    String source() {
        return String.join("\n", sourcesByName.values());
    }

    /**
     * Returns the archive format version the source needs, computed as {@code torch.jit.save} does: 3 for the plain
     * ops, 10 once {@code aten::gelu} is called with its explicit {@code approximate} argument (below 10 LibTorch
     * would rewrite the call through its one-argument upgrader).
     *
     * @return the value of the {@code version} record
     */
    int formatVersion() {
        return usesGelu ? 10 : 3;
    }
}
