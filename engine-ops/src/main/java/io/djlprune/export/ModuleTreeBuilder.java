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
 * a digit and so could not be Python attribute names anyway; they are used in the classifier's block paths
 * ({@code 03SequentialBlock/01ParallelBlock/01Conv2d}), which match the paths in the rest of djl-prune's messages.
 */
final class ModuleTreeBuilder {

    private final OpClassifier classifier;
    private final ClassRegistry registry;
    private final LeafModules leaves;

    /**
     * Creates a builder.
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
     * Translates a block and everything below it.
     *
     * @param block the initialised block
     * @param input the shape of its single input, batch axis included
     * @param path the block's path ({@code ""} for the root)
     * @return the module
     */
    ScriptModule build(Block block, Shape input, String path) {
        if (block.getClass() == SequentialBlock.class) {
            return sequential((SequentialBlock) block, input, path);
        }
        if (block.getClass() == ParallelBlock.class) {
            return parallel((ParallelBlock) block, input, path);
        }
        // Subclasses of the containers may override forward, so only the exact classes are walked as structure;
        // anything else is a leaf the classifier must prove.
        Op op = classifier.classify(block, input, path);
        return leaves.translate(op, block, input, outputShape(block, input, path), path);
    }

    private ScriptModule sequential(SequentialBlock block, Shape input, String path) {
        if (block.isReturnIntermediate()) {
            throw new UnsupportedExportException(
                    path, block.getClass().getName(), "a SequentialBlock returning intermediate outputs");
        }
        Map<String, ScriptModule> children = new LinkedHashMap<>();
        List<ModuleClass.Submodule> submodules = new ArrayList<>();
        List<String> forward = new ArrayList<>();
        String current = "x";
        Shape shape = input;
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String attribute = String.valueOf(index);
            String childPath = childPath(path, child.getKey());
            ScriptModule module = build(child.getValue(), shape, childPath);
            shape = outputShape(child.getValue(), shape, childPath);
            children.put(attribute, module);
            submodules.add(new ModuleClass.Submodule(attribute, module.className()));
            forward.add("_" + index + " = " + ModuleClass.access(attribute));
            index++;
        }
        for (int i = 0; i < index; i++) {
            String next = "x" + i;
            forward.add(next + " = _" + i + ".forward(" + current + ")");
            current = next;
        }
        forward.add("return " + current);
        ModuleClass description = new ModuleClass("Sequential", List.of(), List.of(), submodules, forward);
        return new ScriptModule(registry.define(description), Map.of(), Map.of(), children);
    }

    private ScriptModule parallel(ParallelBlock block, Shape input, String path) {
        Map<String, ScriptModule> children = new LinkedHashMap<>();
        List<ModuleClass.Submodule> submodules = new ArrayList<>();
        List<String> forward = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<Shape> branchShapes = new ArrayList<>();
        int index = 0;
        for (Pair<String, Block> branch : block.getChildren()) {
            String attribute = String.valueOf(index);
            String branchPath = childPath(path, branch.getKey());
            ScriptModule module = build(branch.getValue(), input, branchPath);
            branchShapes.add(outputShape(branch.getValue(), input, branchPath));
            children.put(attribute, module);
            submodules.add(new ModuleClass.Submodule(attribute, module.className()));
            forward.add("_" + index + " = " + ModuleClass.access(attribute));
            outputs.add("y" + index);
            index++;
        }
        if (index == 0) {
            throw new UnsupportedExportException(path, block.getClass().getName(), "a ParallelBlock without branches");
        }
        JoinOp join = classifier.classifyJoin(block, branchShapes.toArray(new Shape[0]), path);
        for (int i = 0; i < index; i++) {
            forward.add(outputs.get(i) + " = _" + i + ".forward(x)");
        }
        String joined;
        String baseName;
        switch (join.kind()) {
            case ADD:
                joined = AtenCalls.add(outputs);
                baseName = "ParallelAdd";
                break;
            case CONCAT:
                joined = AtenCalls.cat(outputs, join.axis());
                baseName = "ParallelCat";
                break;
            default:
                throw new UnsupportedExportException(path, block.getClass().getName(), "join " + join.kind());
        }
        forward.add("return " + joined);
        ModuleClass description = new ModuleClass(baseName, List.of(), List.of(), submodules, forward);
        return new ScriptModule(registry.define(description), Map.of(), Map.of(), children);
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
}
