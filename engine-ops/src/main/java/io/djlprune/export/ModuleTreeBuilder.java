package io.djlprune.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks an initialised DJL block tree into the module tree of a TorchScript archive, defining each module's class on
 * the way. A {@code SequentialBlock} becomes a module whose forward calls its children in order, a
 * {@code ParallelBlock} one that runs every branch on the same input and joins them as the classifier says, and any
 * other block a leaf module for the op the classifier gives it.
 *
 * <p>Children are named as PyTorch names the children of {@code nn.Sequential}: {@code "0"}, {@code "1"}, … in
 * DJL's order, so state-dict keys read like {@code 3.0.1.weight}. DJL's own child names ({@code 01Conv2d}) start with
 * a digit and so could not be Python attribute names anyway; they are used in the block paths given to the
 * classifier and in messages ({@code 03SequentialBlock/01ParallelBlock/01Conv2d}), as elsewhere in djl-prune.
 */
final class ModuleTreeBuilder {

    private final OpClassifier classifier;
    private final ClassRegistry registry;
    private final LeafModules leaves;
    private final Map<Block, String> seen = new IdentityHashMap<>();

    /**
     * Creates a builder for one export.
     *
     * @param classifier describes the leaf blocks and joins
     * @param registry where the module classes are defined
     */
    ModuleTreeBuilder(OpClassifier classifier, ClassRegistry registry) {
        this.classifier = classifier;
        this.registry = registry;
        this.leaves = new LeafModules(registry);
    }

    /**
     * Translates the root block and everything below it.
     *
     * @param root the initialised block
     * @param input the shape of its single input, batch axis included
     * @return the root module
     */
    ScriptModule build(Block root, Shape input) {
        return build(root, input, "").module();
    }

    /** A translated block and the shape of its output, which is the next block's input. */
    private record Built(ScriptModule module, Shape output) {}

    private Built build(Block block, Shape input, String path) {
        String earlier = seen.putIfAbsent(block, path);
        if (earlier != null && !block.getParameters().isEmpty()) {
            // PyTorch would get two modules with copies of the tensors: equal outputs, but untied weights. A shared
            // parameterless block (one ReLU used twice) is harmless and becomes two modules.
            throw new UnsupportedExportException(
                    path,
                    block.getClass().getName(),
                    "the same block instance also sits at '" + earlier + "'; exporting would untie its weights");
        }
        if (block.getClass() == SequentialBlock.class) {
            return sequential((SequentialBlock) block, input, path);
        }
        if (block.getClass() == ParallelBlock.class) {
            return parallel((ParallelBlock) block, input, path);
        }
        // Subclasses of the containers may override forward, so only the exact classes are walked as structure;
        // anything else is a leaf the classifier must prove.
        Op op = classifier.classify(block, input, path);
        Shape output = outputShape(block, input, path);
        return new Built(leaves.translate(op, block, input, output, path), output);
    }

    private Built sequential(SequentialBlock block, Shape input, String path) {
        if (block.isReturnIntermediate()) {
            throw new UnsupportedExportException(
                    path, block.getClass().getName(), "a SequentialBlock returning intermediate outputs");
        }
        Children children = new Children();
        Shape shape = input;
        for (Pair<String, Block> child : block.getChildren()) {
            Built built = build(child.getValue(), shape, childPath(path, child.getKey()));
            children.add(built.module());
            shape = built.output();
        }
        List<String> forward = children.accessors();
        String current = "x";
        for (int i = 0; i < children.size(); i++) {
            String next = "x" + i;
            forward.add(next + " = _" + i + ".forward(" + current + ")");
            current = next;
        }
        forward.add("return " + current);
        return new Built(children.define("Sequential", forward), shape);
    }

    private Built parallel(ParallelBlock block, Shape input, String path) {
        Children children = new Children();
        List<Shape> branchShapes = new ArrayList<>();
        for (Pair<String, Block> branch : block.getChildren()) {
            Built built = build(branch.getValue(), input, childPath(path, branch.getKey()));
            children.add(built.module());
            branchShapes.add(built.output());
        }
        if (children.size() == 0) {
            throw new UnsupportedExportException(path, block.getClass().getName(), "a ParallelBlock without branches");
        }
        JoinOp join = classifier.classifyJoin(block, branchShapes.toArray(new Shape[0]), path);
        List<String> forward = children.accessors();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            outputs.add("y" + i);
            forward.add("y" + i + " = _" + i + ".forward(x)");
        }
        String baseName;
        String merged;
        if (join.kind() == JoinOp.Kind.ADD) {
            merged = AtenCalls.add(outputs);
            baseName = "ParallelAdd";
        } else {
            merged = AtenCalls.cat(outputs, join.axis());
            baseName = "ParallelCat";
        }
        // a join may apply an activation after merging (DJL's ResNetV1 sums then applies ReLU in one function)
        if (join.postActivation().isPresent()) {
            forward.add("merged = " + merged);
            merged = AtenCalls.activation(join.postActivation().get(), "merged");
            baseName = baseName + join.postActivation().get().kind().name().charAt(0)
                    + join.postActivation().get().kind().name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }
        forward.add("return " + merged);
        return new Built(children.define(baseName, forward), outputShape(block, input, path));
    }

    private static Shape outputShape(Block block, Shape input, String path) {
        Shape[] outputs = block.getOutputShapes(new Shape[] {input});
        if (outputs.length != 1) {
            throw new UnsupportedExportException(
                    path, block.getClass().getName(), "a block with " + outputs.length + " outputs");
        }
        return outputs[0];
    }

    private static String childPath(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    /** The submodules of a container, named "0", "1", … in order. */
    private final class Children {

        private final Map<String, ScriptModule> modules = new LinkedHashMap<>();
        private final List<ModuleClass.Submodule> submodules = new ArrayList<>();

        void add(ScriptModule module) {
            String attribute = String.valueOf(modules.size());
            modules.put(attribute, module);
            submodules.add(new ModuleClass.Submodule(attribute, module.className()));
        }

        int size() {
            return modules.size();
        }

        /** Returns the statements {@code _i = getattr(self, "i")}, the way PyTorch prints nn.Sequential. */
        List<String> accessors() {
            List<String> statements = new ArrayList<>();
            for (int i = 0; i < submodules.size(); i++) {
                statements.add("_" + i + " = " + ModuleClass.access(submodules.get(i).attribute()));
            }
            return statements;
        }

        ScriptModule define(String baseName, List<String> forward) {
            ModuleClass description = new ModuleClass(baseName, List.of(), List.of(), submodules, forward);
            return new ScriptModule(registry.define(description), Map.of(), Map.of(), modules);
        }
    }
}
