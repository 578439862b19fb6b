package io.djlprune.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One module object of the export: its class and the values of its attributes. The tree of these objects is what
 * {@code data.pkl} stores; its class's source declares exactly these attributes (plus {@code training}), so the
 * loader finds every attribute it looks up.
 *
 * @param className the unqualified name of the module's class in {@link ClassRegistry}
 * @param parameters the parameter tensors by attribute name, in declaration order
 * @param buffers the buffer tensors by attribute name, in declaration order
 * @param children the submodules by attribute name, in declaration order
 */
record ScriptModule(
        String className,
        Map<String, TensorData> parameters,
        Map<String, TensorData> buffers,
        Map<String, ScriptModule> children) {

    /**
     * Copies the maps, keeping their order.
     *
     * @param className the class name
     * @param parameters the parameters
     * @param buffers the buffers
     * @param children the submodules
     */
    ScriptModule {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }
}
