package io.djlprune.export;

import java.util.List;

/**
 * The TorchScript source of one module class before it is named: its parameters, buffers, submodules and the body of
 * {@code forward(self, x: Tensor) -> Tensor}. Two modules with equal descriptions share one class, as the instances of
 * torchvision's {@code BasicBlock} do.
 *
 * @param baseName the preferred class name, for example {@code Conv2d}; a suffix is added when variants differ
 * @param parameters the parameter attributes, all {@code Tensor}
 * @param buffers the buffer attributes, all {@code Tensor}
 * @param submodules the module attributes with the names of their (already registered) classes
 * @param forward the statements of {@code forward}, without indentation; the input is {@code x}, the last statement
 *     returns
 */
record ModuleClass(
        String baseName,
        List<String> parameters,
        List<String> buffers,
        List<Submodule> submodules,
        List<String> forward) {

    /** The file, relative to {@code code/}, and the qualifier every generated class lives under. */
    static final String QUALIFIER = "__torch__";

    private static final String INDENT = "  ";

    /**
     * A module-typed attribute.
     *
     * @param attribute the attribute name, for example {@code "0"} or {@code conv1}
     * @param className the unqualified name of the attribute's class
     */
    record Submodule(String attribute, String className) {}

    /**
     * Copies the lists so the description is a value.
     *
     * @param baseName the preferred class name
     * @param parameters the parameter attributes
     * @param buffers the buffer attributes
     * @param submodules the module attributes
     * @param forward the statements of forward
     */
    ModuleClass {
        if (!baseName.matches("[A-Z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("Class names must be CamelCase identifiers, got " + baseName);
        }
        parameters = List.copyOf(parameters);
        buffers = List.copyOf(buffers);
        submodules = List.copyOf(submodules);
        forward = List.copyOf(forward);
        if (forward.isEmpty() || !forward.get(forward.size() - 1).startsWith("return ")) {
            throw new IllegalArgumentException("forward of " + baseName + " must end with a return statement");
        }
    }

    /**
     * Returns the expression that reads a submodule inside forward: {@code self.name} for identifiers, else
     * {@code getattr(self, "0")} as PyTorch prints {@code nn.Sequential}.
     *
     * @param attribute the attribute name
     * @return the expression
     */
    static String access(String attribute) {
        return ScriptLiterals.isPlainAttribute(attribute)
                ? "self." + attribute
                : "getattr(self, " + ScriptLiterals.string(attribute) + ")";
    }

    /**
     * Renders the class under the given name.
     *
     * @param className the class's unqualified name
     * @return the source, ending with a newline
     */
    String render(String className) {
        StringBuilder source = new StringBuilder();
        source.append("class ").append(className).append("(Module):\n");
        source.append(INDENT).append("__parameters__ = ").append(nameList(parameters)).append('\n');
        source.append(INDENT).append("__buffers__ = ").append(nameList(buffers)).append('\n');
        for (String tensor : parameters) {
            declare(source, tensor, "Tensor");
        }
        for (String tensor : buffers) {
            declare(source, tensor, "Tensor");
        }
        // LibTorch's Module::train()/eval() set "training" on every submodule, so every class must declare it.
        source.append(INDENT).append("training : bool\n");
        for (Submodule submodule : submodules) {
            declare(source, submodule.attribute(), QUALIFIER + "." + submodule.className());
        }
        source.append(INDENT)
                .append("def forward(self: ")
                .append(QUALIFIER)
                .append('.')
                .append(className)
                .append(",\n")
                .append(INDENT.repeat(2))
                .append("x: Tensor) -> Tensor:\n");
        for (String statement : forward) {
            source.append(INDENT.repeat(2)).append(statement).append('\n');
        }
        return source.toString();
    }

    private static void declare(StringBuilder source, String attribute, String type) {
        source.append(INDENT);
        if (ScriptLiterals.isPlainAttribute(attribute)) {
            source.append(attribute).append(" : ").append(type);
        } else {
            source.append("__annotations__[").append(ScriptLiterals.string(attribute)).append("] = ").append(type);
        }
        source.append('\n');
    }

    private static String nameList(List<String> names) {
        StringBuilder list = new StringBuilder("[");
        for (String name : names) {
            list.append(ScriptLiterals.string(name)).append(", ");
        }
        return list.append(']').toString();
    }
}
