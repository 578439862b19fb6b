/**
 * ONNX export of compacted networks: {@link io.djlprune.export.onnx.OnnxExport} writes a DJL block as an ONNX model
 * (opset 13) with {@link io.djlprune.export.onnx.OnnxWriter} and keeps it only once ONNX Runtime
 * ({@link io.djlprune.export.onnx.OnnxRuntimeModel}) computes what DJL computes
 * ({@link io.djlprune.export.onnx.OnnxVerifier}). The protobuf message classes in {@code io.djlprune.export.onnx.proto}
 * are generated at build time from djl-prune's own schema of the ONNX wire format ({@code src/main/protobuf}).
 */
package io.djlprune.export.onnx;
