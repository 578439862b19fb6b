package io.djlprune.export.onnx;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.export.onnx.proto.GraphProto;
import io.djlprune.export.onnx.proto.ModelProto;
import io.djlprune.export.onnx.proto.OperatorSetIdProto;
import io.djlprune.export.onnx.proto.StringStringEntryProto;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an initialised DJL block as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}): one
 * float32 input {@code input} of shape {@code (N, …)}, one output {@code output}, the weights as float32 initializers
 * and string metadata in {@code metadata_props}. It only writes; {@link OnnxExport} also verifies and places the file.
 *
 * <pre>
 * OnnxWriter.write(block, new Shape(1, 3, 32, 32), classifier, Path.of("model.onnx"), Map.of());
 * </pre>
 */
public final class OnnxWriter {

    /** The standard operator set version the graph is written in. */
    public static final int OPSET = 13;

    /** The file format version (IR 7 is the one of opset 13). */
    public static final int IR_VERSION = 7;

    private OnnxWriter() {}

    /**
     * Translates a block into an ONNX model.
     *
     * @param block the initialised block
     * @param inputShape its input shape, batch axis included (written as the symbol N)
     * @param classifier describes the leaf blocks and joins
     * @param graphName the graph's name, e.g. the model's
     * @param metadata entries of {@code metadata_props}, in iteration order
     * @return the model
     * @throws io.djlprune.export.UnsupportedExportException if a block cannot be written exactly
     */
    public static ModelProto model(
            Block block, Shape inputShape, OpClassifier classifier, String graphName, Map<String, String> metadata) {
        return model(new OnnxGraphBuilder(classifier).build(block, inputShape, graphName), metadata);
    }

    /**
     * Wraps a graph into a model with metadata.
     *
     * @param graph the graph
     * @param metadata entries of {@code metadata_props}, in iteration order
     * @return the model
     */
    static ModelProto model(GraphProto graph, Map<String, String> metadata) {
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("djl-prune")
                .setProducerVersion(producerVersion())
                .setDomain("io.djlprune")
                .setModelVersion(1)
                .setDocString("A structurally pruned, compacted network written by djl-prune from a DJL block")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            model.addMetadataProps(
                    StringStringEntryProto.newBuilder().setKey(entry.getKey()).setValue(entry.getValue()));
        }
        return model.build();
    }

    /**
     * Writes a block as an ONNX file, replacing the file if it exists (not atomically: see {@link OnnxExport}).
     *
     * @param block the initialised block
     * @param inputShape its input shape, batch axis included
     * @param classifier describes the leaf blocks and joins
     * @param target the file
     * @param metadata entries of {@code metadata_props}
     * @throws IOException if the file cannot be written
     * @throws io.djlprune.export.UnsupportedExportException if a block cannot be written exactly; no file is written
     */
    public static void write(
            Block block, Shape inputShape, OpClassifier classifier, Path target, Map<String, String> metadata)
            throws IOException {
        String name = target.getFileName().toString().replaceFirst("\\.onnx$", "");
        write(model(block, inputShape, classifier, name, metadata), target);
    }

    /**
     * Writes a model to a file.
     *
     * @param model the model
     * @param file the file, replaced if it exists
     * @throws IOException if it cannot be written
     */
    static void write(ModelProto model, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }

    private static String producerVersion() {
        String version = OnnxWriter.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
