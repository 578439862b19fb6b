package io.djlprune.export.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.djlprune.export.LeafCheck;
import io.djlprune.export.UnsupportedExportException;
import io.djlprune.export.onnx.proto.AttributeProto;
import io.djlprune.export.onnx.proto.GraphProto;
import io.djlprune.export.onnx.proto.TensorProto;
import io.djlprune.export.onnx.proto.TensorShapeProto;
import io.djlprune.export.onnx.proto.TypeProto;
import io.djlprune.export.onnx.proto.ValueInfoProto;
import io.djlprune.nn.AdaptiveAvgPool2d;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.AdaptiveAvgPool2dOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.DropoutOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.GlobalPoolOp;
import io.djlprune.ops.IdentityOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.Pool2dOp;
import io.djlprune.ops.PoolKind;
import io.djlprune.ops.UnflattenOp;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks an initialised DJL block tree into an ONNX graph, the same walk {@code ModuleTreeBuilder} makes for
 * TorchScript: a {@code SequentialBlock} chains its children, a {@code ParallelBlock} feeds every branch the same
 * value and joins them with {@code Add} or {@code Concat} as the classifier says, and any other block is a leaf whose
 * op the classifier proves. Only the exact container classes are walked as structure (a subclass may override forward).
 *
 * <p>A leaf's parameters must be exactly those its op implies, float32, with the implied shapes; they become
 * initializers named by the block's path ({@code 03SequentialBlock/01Conv2d/weight}). Everything else is refused with
 * an {@link UnsupportedExportException} naming the block, before anything is written.
 */
final class OnnxGraphBuilder {

    /** The name of the graph's single input. */
    static final String INPUT = "input";

    /** The name of the graph's single output. */
    static final String OUTPUT = "output";

    private static final String FORMAT = "ONNX";

    private final OpClassifier classifier;
    private final OnnxNodes nodes = new OnnxNodes();
    private final Map<Block, String> seen = new IdentityHashMap<>();

    /**
     * Creates a builder for one export.
     *
     * @param classifier describes the leaf blocks and joins
     */
    OnnxGraphBuilder(OpClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * Translates the root block and everything below it.
     *
     * @param root the initialised block
     * @param input the shape of its single input, batch axis included; the batch axis is written as the symbol N
     * @param name the graph's name
     * @return the graph
     */
    GraphProto build(Block root, Shape input, String name) {
        Built built = build(root, input, INPUT, "");
        nodes.nodeWithOutput("Identity", OUTPUT, built.value(), OUTPUT);
        return nodes.graph(name)
                .addInput(valueInfo(INPUT, input))
                .addOutput(valueInfo(OUTPUT, built.output()))
                .build();
    }

    /** A translated block: the name of the value it produces and that value's shape. */
    private record Built(String value, Shape output) {}

    private Built build(Block block, Shape input, String value, String path) {
        String earlier = seen.putIfAbsent(block, path);
        if (earlier != null && !block.getParameters().isEmpty()) {
            // Two uses would share the initializers, which ONNX allows, but the TorchScript export refuses the same
            // tree; one rule for both formats keeps a model exportable to both or to neither.
            throw refuse(path, block, "the same block instance also sits at '" + earlier + "'");
        }
        if (block.getClass() == SequentialBlock.class) {
            SequentialBlock sequential = (SequentialBlock) block;
            if (sequential.isReturnIntermediate()) {
                throw refuse(path, block, "a SequentialBlock returning intermediate outputs");
            }
            Built current = new Built(value, input);
            for (Pair<String, Block> child : sequential.getChildren()) {
                current = build(child.getValue(), current.output(), current.value(), childPath(path, child.getKey()));
            }
            return current;
        }
        if (block.getClass() == ParallelBlock.class) {
            return parallel((ParallelBlock) block, input, value, path);
        }
        Op op = classifier.classify(block, input, path);
        Shape output = outputShape(block, input, path);
        return new Built(leaf(op, block, input, output, value, path), output);
    }

    private Built parallel(ParallelBlock block, Shape input, String value, String path) {
        List<String> outputs = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (Pair<String, Block> branch : block.getChildren()) {
            Built built = build(branch.getValue(), input, value, childPath(path, branch.getKey()));
            outputs.add(built.value());
            shapes.add(built.output());
        }
        if (outputs.isEmpty()) {
            throw refuse(path, block, "a ParallelBlock without branches");
        }
        JoinOp join = classifier.classifyJoin(block, shapes.toArray(new Shape[0]), path);
        String merged;
        if (join.kind() == JoinOp.Kind.ADD) {
            // left to right, as DJL and the TorchScript export sum
            merged = outputs.get(0);
            for (int i = 1; i < outputs.size(); i++) {
                merged = nodes.node("Add", path + "/add" + i, List.of(merged, outputs.get(i)));
            }
        } else {
            merged = nodes.node("Concat", path + "/concat", outputs, OnnxNodes.integer("axis", join.axis()));
        }
        if (join.postActivation().isPresent()) {
            merged = nodes.activation(join.postActivation().get(), merged, path + "/join");
        }
        return new Built(merged, outputShape(block, input, path));
    }

    private String leaf(Op op, Block block, Shape input, Shape output, String x, String path) {
        Leaf leaf = new Leaf(block, path);
        if (op instanceof Conv2dOp conv) {
            leaf.requireInput(input, input.dimension() == 4 && input.get(1) == conv.inChannels(),
                    "(N, " + conv.inChannels() + ", H, W)");
            return conv(conv, leaf, x);
        } else if (op instanceof BatchNormOp norm) {
            leaf.requireInput(input, input.dimension() >= 2 && input.get(1) == norm.channels(),
                    "(N, " + norm.channels() + ", …)");
            leaf.expect(Set.of("gamma", "beta", "runningMean", "runningVar"));
            // DJL applies gamma and beta whatever its center/scale flags say (see BatchNormOp), so writing them is
            // exact; ONNX's momentum is, like DJL's, the weight of the old running value.
            List<String> inputs = List.of(
                    x,
                    leaf.initializer("gamma", norm.channels()),
                    leaf.initializer("beta", norm.channels()),
                    leaf.initializer("runningMean", norm.channels()),
                    leaf.initializer("runningVar", norm.channels()));
            return nodes.node("BatchNormalization", path, inputs,
                    OnnxNodes.real("epsilon", norm.epsilon()), OnnxNodes.real("momentum", norm.momentum()));
        } else if (op instanceof LinearOp linear) {
            leaf.requireInput(input, input.dimension() == 2 && input.get(1) == linear.inFeatures(),
                    "(N, " + linear.inFeatures() + ") (ONNX's Gemm is 2-D only)");
            leaf.expect(linear.bias() ? Set.of("weight", "bias") : Set.of("weight"));
            List<String> inputs = new ArrayList<>(List.of(
                    x, leaf.initializer("weight", linear.outFeatures(), linear.inFeatures())));
            if (linear.bias()) {
                inputs.add(leaf.initializer("bias", linear.outFeatures()));
            }
            // y = x·Wᵀ + b, DJL's weight layout (out, in) read transposed
            return nodes.node("Gemm", path, inputs, OnnxNodes.integer("transB", 1));
        } else if (op instanceof ActivationOp activation) {
            leaf.expect(Set.of());
            return nodes.activation(activation, x, path);
        } else if (op instanceof Pool2dOp pool) {
            leaf.expect(Set.of());
            leaf.requirePairs(pool.kernel(), pool.stride(), pool.padding());
            leaf.requireInput(input, input.dimension() == 4, "(N, C, H, W)");
            return pool(pool, x, path);
        } else if (op instanceof GlobalPoolOp global) {
            leaf.expect(Set.of());
            leaf.requireInput(input, input.dimension() == 4, "(N, C, H, W)");
            return globalPool(global, leaf, output, x, path);
        } else if (op instanceof AdaptiveAvgPool2dOp adaptive) {
            leaf.expect(Set.of());
            leaf.requireInput(input, input.dimension() == 4 && input.get(2) >= 1 && input.get(3) >= 1,
                    "(N, C, H, W) with a non-empty map");
            return adaptivePool(adaptive, input, x, path);
        } else if (op instanceof FlattenOp) {
            leaf.expect(Set.of());
            return nodes.node("Flatten", path, List.of(x), OnnxNodes.integer("axis", 1));
        } else if (op instanceof UnflattenOp) {
            leaf.expect(Set.of());
            leaf.requireInput(input, input.dimension() == 2, "(N, C)");
            return nodes.node("Unsqueeze", path, List.of(x, nodes.longs("axes_2_3", 2, 3)));
        } else if (op instanceof IdentityOp || op instanceof DropoutOp) {
            // dropout is the identity in inference, the only mode an ONNX file is written for
            leaf.expect(Set.of());
            return nodes.node("Identity", path, List.of(x));
        } else if (op instanceof JoinOp) {
            throw leaf.refuse("the classifier described a leaf block as a join, which only a ParallelBlock can be");
        }
        throw leaf.refuse("no ONNX translation for op " + op);
    }

    private String conv(Conv2dOp conv, Leaf leaf, String x) {
        leaf.requirePairs(conv.kernel(), conv.stride(), conv.padding(), conv.dilation());
        if (conv.groups() < 1 || conv.inChannels() % conv.groups() != 0 || conv.outChannels() % conv.groups() != 0) {
            throw leaf.refuse("groups " + conv.groups() + " do not divide the channels of " + conv);
        }
        leaf.expect(conv.bias() ? Set.of("weight", "bias") : Set.of("weight"));
        int[] kernel = conv.kernel();
        int[] padding = conv.padding();
        List<String> inputs = new ArrayList<>(List.of(x, leaf.initializer(
                "weight", conv.outChannels(), conv.inChannels() / conv.groups(), kernel[0], kernel[1])));
        if (conv.bias()) {
            inputs.add(leaf.initializer("bias", conv.outChannels()));
        }
        return nodes.node("Conv", leaf.path(), inputs,
                OnnxNodes.ints("kernel_shape", kernel[0], kernel[1]),
                OnnxNodes.ints("strides", conv.stride()[0], conv.stride()[1]),
                // ONNX lists the starts of every axis, then the ends: (top, left, bottom, right)
                OnnxNodes.ints("pads", padding[0], padding[1], padding[0], padding[1]),
                OnnxNodes.ints("dilations", conv.dilation()[0], conv.dilation()[1]),
                OnnxNodes.integer("group", conv.groups()));
    }

    private String pool(Pool2dOp pool, String x, String path) {
        int[] padding = pool.padding();
        List<AttributeProto> attributes = new ArrayList<>(List.of(
                OnnxNodes.ints("kernel_shape", pool.kernel()[0], pool.kernel()[1]),
                OnnxNodes.ints("strides", pool.stride()[0], pool.stride()[1]),
                OnnxNodes.ints("pads", padding[0], padding[1], padding[0], padding[1]),
                OnnxNodes.integer("ceil_mode", pool.ceilMode() ? 1 : 0)));
        if (pool.kind() == PoolKind.MAX) {
            return nodes.node("MaxPool", path, List.of(x), attributes);
        }
        attributes.add(OnnxNodes.integer("count_include_pad", pool.countIncludePad() ? 1 : 0));
        return nodes.node("AveragePool", path, List.of(x), attributes);
    }

    private String globalPool(GlobalPoolOp global, Leaf leaf, Shape output, String x, String path) {
        boolean keepSpatialAxes;
        if (output.dimension() == 4 && output.get(2) == 1 && output.get(3) == 1) {
            keepSpatialAxes = true;
        } else if (output.dimension() == 2) {
            keepSpatialAxes = false;
        } else {
            throw leaf.refuse("a global pooling whose output shape is " + output + ", neither (N, C) nor (N, C, 1, 1)");
        }
        String type = global.kind() == PoolKind.MAX ? "GlobalMaxPool" : "GlobalAveragePool";
        String pooled = nodes.node(type, path, List.of(x));
        // DJL's global pooling drops the two unit axes
        return keepSpatialAxes ? pooled : nodes.node("Flatten", path + "/flatten", List.of(pooled),
                OnnxNodes.integer("axis", 1));
    }

    /**
     * ONNX has no adaptive pooling, but the export fixes the map size, so the bins are known: the identity when the
     * map already has the output size, an {@code AveragePool} with kernel = stride when the sizes divide (the bins then
     * tile the map), and otherwise the averaging matrices of {@link AdaptiveAvgPool2d} as two
     * {@code MatMul}s, {@code R · (x · Cᵀ)}, which covers overlapping and repeated bins.
     */
    private String adaptivePool(AdaptiveAvgPool2dOp op, Shape input, String x, String path) {
        int inHeight = Math.toIntExact(input.get(2));
        int inWidth = Math.toIntExact(input.get(3));
        if (inHeight == op.height() && inWidth == op.width()) {
            return nodes.node("Identity", path, List.of(x));
        }
        if (inHeight % op.height() == 0 && inWidth % op.width() == 0) {
            int kh = inHeight / op.height();
            int kw = inWidth / op.width();
            return nodes.node("AveragePool", path, List.of(x),
                    OnnxNodes.ints("kernel_shape", kh, kw),
                    OnnxNodes.ints("strides", kh, kw),
                    OnnxNodes.ints("pads", 0, 0, 0, 0));
        }
        String columns = nodes.floats(path + "/columns", new long[] {inWidth, op.width()},
                transpose(AdaptiveAvgPool2d.averagingMatrix(op.width(), inWidth), op.width(), inWidth));
        String rows = nodes.floats(path + "/rows", new long[] {op.height(), inHeight},
                AdaptiveAvgPool2d.averagingMatrix(op.height(), inHeight));
        String pooledColumns = nodes.node("MatMul", path + "/columns", List.of(x, columns));
        return nodes.node("MatMul", path, List.of(rows, pooledColumns));
    }

    private static float[] transpose(float[] matrix, int rows, int columns) {
        float[] result = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                result[c * rows + r] = matrix[r * columns + c];
            }
        }
        return result;
    }

    private static ValueInfoProto valueInfo(String name, Shape shape) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int axis = 1; axis < shape.dimension(); axis++) {
            dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(shape.get(axis)));
        }
        TypeProto.Tensor tensor =
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(dims).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    private static Shape outputShape(Block block, Shape input, String path) {
        Shape[] outputs = block.getOutputShapes(new Shape[] {input});
        if (outputs.length != 1) {
            throw refuse(path, block, "a block with " + outputs.length + " outputs");
        }
        return outputs[0];
    }

    private static String childPath(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    private static UnsupportedExportException refuse(String path, Block block, String reason) {
        return new UnsupportedExportException(FORMAT, path, block.getClass().getName(), reason);
    }

    /** One leaf block being read, checked against what the op implies, and its parameters as initializers. */
    private final class Leaf extends LeafCheck {

        Leaf(Block block, String path) {
            super(block, path, FORMAT);
        }

        /** Adds the parameter as an initializer after checking it, and returns the initializer's name. */
        String initializer(String name, long... expectedShape) {
            NDArray array = parameter(name, expectedShape);
            return nodes.floats(childPath(path(), name), array.getShape().getShape(), array.toFloatArray());
        }
    }
}
