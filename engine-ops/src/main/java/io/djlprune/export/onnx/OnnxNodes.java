package io.djlprune.export.onnx;

import com.google.protobuf.ByteString;
import io.djlprune.export.onnx.proto.AttributeProto;
import io.djlprune.export.onnx.proto.GraphProto;
import io.djlprune.export.onnx.proto.NodeProto;
import io.djlprune.export.onnx.proto.TensorProto;
import io.djlprune.ops.ActivationOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes and initializers of one graph being written, in the order they are added (which is a valid topological
 * order, since the walk adds a node only after the nodes it reads). Values are named {@code v0}, {@code v1}, …; nodes
 * by the DJL block path they come from, made unique. Each activation is spelt with the standard operators of opset 13,
 * with the constants DJL's PyTorch engine uses.
 */
final class OnnxNodes {

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final Set<String> initializerNames = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();
    private int values;

    /**
     * Adds a node with one fresh output.
     *
     * @param type the operator
     * @param name the node's name, usually the block path (made unique)
     * @param inputs the values it reads
     * @param attributes its attributes
     * @return the name of its output
     */
    String node(String type, String name, List<String> inputs, AttributeProto... attributes) {
        return node(type, name, inputs, Arrays.asList(attributes));
    }

    /**
     * Adds a node with one fresh output.
     *
     * @param type the operator
     * @param name the node's name, usually the block path (made unique)
     * @param inputs the values it reads
     * @param attributes its attributes
     * @return the name of its output
     */
    String node(String type, String name, List<String> inputs, List<AttributeProto> attributes) {
        String output = "v" + values++;
        add(type, name, inputs, output, attributes);
        return output;
    }

    /**
     * Adds a one-input node whose output has a given name (the graph's output).
     *
     * @param type the operator
     * @param name the node's name
     * @param input the value it reads
     * @param output the name of its output
     */
    void nodeWithOutput(String type, String name, String input, String output) {
        add(type, name, List.of(input), output, List.of());
    }

    private void add(String type, String name, List<String> inputs, String output, List<AttributeProto> attributes) {
        String base = name.isEmpty() ? type : name;
        String unique = base;
        for (int i = 2; !nodeNames.add(unique); i++) {
            unique = base + "#" + i;
        }
        nodes.add(NodeProto.newBuilder()
                .setName(unique)
                .setOpType(type)
                .addAllInput(inputs)
                .addOutput(output)
                .addAllAttribute(attributes)
                .build());
    }

    /**
     * Adds a float32 initializer.
     *
     * @param name its name, unique in the graph
     * @param shape its sizes
     * @param values its elements in row-major order
     * @return the name
     * @throws IllegalStateException if the name is taken
     */
    String floats(String name, long[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES));
        bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return initializer(name, TensorProto.DataType.FLOAT, shape, bytes.array(), true);
    }

    /**
     * Returns a 1-D int64 constant, added once however often it is asked for.
     *
     * @param name its name
     * @param values its elements
     * @return the name
     */
    String longs(String name, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        long[] shape = {values.length};
        return initializer("const/" + name, TensorProto.DataType.INT64, shape, bytes.array(), false);
    }

    /**
     * Returns a float32 scalar constant, added once however often it is asked for.
     *
     * @param name its name
     * @param value its value
     * @return the name
     */
    String scalar(String name, float value) {
        byte[] bytes = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
        return initializer("const/" + name, TensorProto.DataType.FLOAT, new long[0], bytes, false);
    }

    private String initializer(
            String name, TensorProto.DataType type, long[] shape, byte[] littleEndian, boolean mustBeNew) {
        if (!initializerNames.add(name)) {
            if (mustBeNew) {
                throw new IllegalStateException("Two initializers named '" + name + "'");
            }
            return name;
        }
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long size : shape) {
            tensor.addDims(size);
        }
        initializers.add(tensor.setRawData(ByteString.copyFrom(littleEndian)).build());
        return name;
    }

    /**
     * Adds the nodes of an activation.
     *
     * @param op the activation
     * @param x its input
     * @param name the name of its (first) node
     * @return the name of its output
     */
    String activation(ActivationOp op, String x, String name) {
        switch (op.kind()) {
            case RELU:
                return node("Relu", name, List.of(x));
            case RELU6:
                return node("Clip", name, List.of(x, scalar("zero", 0f), scalar("six", 6f)));
            case LEAKY_RELU:
                return node("LeakyRelu", name, List.of(x), real("alpha", op.alpha()));
            case ELU:
                return node("Elu", name, List.of(x), real("alpha", op.alpha()));
            case SIGMOID:
                return node("Sigmoid", name, List.of(x));
            case TANH:
                return node("Tanh", name, List.of(x));
            case SOFTPLUS:
                // LibTorch returns x itself above its threshold 20, where ln(1 + eˣ) differs from x by < 3e-9
                return node("Softplus", name, List.of(x));
            case SWISH:
                return node("Mul", name + "/mul", List.of(x, node("Sigmoid", name, List.of(x))));
            case MISH:
                // Mish is an operator only from opset 18: x·tanh(softplus(x))
                String softplus = node("Softplus", name, List.of(x));
                return node("Mul", name + "/mul", List.of(x, node("Tanh", name + "/tanh", List.of(softplus))));
            case GELU:
                // exact GELU (Gelu is an operator only from opset 20): x · ½ · (1 + erf(x / √2))
                String scaled = node("Div", name, List.of(x, scalar("sqrt2", (float) Math.sqrt(2))));
                String erf = node("Erf", name + "/erf", List.of(scaled));
                String plusOne = node("Add", name + "/add", List.of(erf, scalar("one", 1f)));
                String half = node("Mul", name + "/half", List.of(x, scalar("half", 0.5f)));
                return node("Mul", name + "/mul", List.of(half, plusOne));
            default:
                throw new IllegalArgumentException("No ONNX spelling for activation " + op.kind());
        }
    }

    /**
     * Returns the graph of the nodes and initializers added so far, without inputs and outputs.
     *
     * @param name the graph's name
     * @return a graph builder to complete
     */
    GraphProto.Builder graph(String name) {
        return GraphProto.newBuilder().setName(name).addAllNode(nodes).addAllInitializer(initializers);
    }

    /**
     * Returns an INT attribute.
     *
     * @param name the attribute
     * @param value its value
     * @return the attribute
     */
    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /**
     * Returns an INTS attribute.
     *
     * @param name the attribute
     * @param values its values
     * @return the attribute
     */
    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute =
                AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    /**
     * Returns a FLOAT attribute.
     *
     * @param name the attribute
     * @param value its value
     * @return the attribute
     */
    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }
}
