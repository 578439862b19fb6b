package io.djlprune.export.onnx;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX model loaded into ONNX Runtime (on the CPU) the way a Java server would load it, with one float32 input and
 * one float32 output: what the ONNX export is verified with and what {@code eval --onnx} and the latency comparison
 * time. Graph optimisations are ONNX Runtime's defaults (all), so the verified numbers are the served ones.
 *
 * <pre>
 * try (OnnxRuntimeModel model = OnnxRuntimeModel.load(Path.of("model.onnx"), 1)) {
 *     OnnxRuntimeModel.Output y = model.predict(pixels, new long[] {64, 1, 28, 28});
 * }
 * </pre>
 */
public final class OnnxRuntimeModel implements AutoCloseable {

    private static final String DJL_ENGINE = "OnnxRuntime";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String name;

    private OnnxRuntimeModel(OrtEnvironment environment, OrtSession session, String name) throws IOException {
        this.environment = environment;
        this.session = session;
        this.name = name;
        if (session.getNumInputs() != 1 || session.getNumOutputs() != 1) {
            throw new IOException(name + " has " + session.getNumInputs() + " inputs and " + session.getNumOutputs()
                    + " outputs; exactly one of each is needed");
        }
        this.inputName = session.getInputNames().iterator().next();
    }

    /**
     * Loads a model file.
     *
     * @param file the {@code .onnx} file
     * @param threads ONNX Runtime's intra-op threads; 0 leaves its default (one per core)
     * @return the loaded model, to close after use
     * @throws IOException if the file cannot be read or ONNX Runtime refuses it (the message is ONNX Runtime's)
     */
    public static OnnxRuntimeModel load(Path file, int threads) throws IOException {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        }
        OrtEnvironment environment = environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
            }
            OrtSession session = environment.createSession(file.toString(), options);
            try {
                return new OnnxRuntimeModel(environment, session, file.toString());
            } catch (IOException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime refused " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the process's ONNX Runtime environment. DJL's OnnxRuntime engine creates it with its own thread options
     * and fails if it exists already, so where that engine is on the class path it is started first and its
     * environment shared; a DJL application serving the same file keeps working.
     */
    private static OrtEnvironment environment() {
        if (Engine.hasEngine(DJL_ENGINE)) {
            Engine.getEngine(DJL_ENGINE);
        }
        return OrtEnvironment.getEnvironment();
    }

    /** The single output of a run: its shape and its elements in row-major order. */
    public record Output(long[] shape, float[] values) {}

    /**
     * Runs the model on one input.
     *
     * @param values the input elements in row-major order
     * @param shape the input shape
     * @return the output
     * @throws IOException if ONNX Runtime fails to run it (the message is ONNX Runtime's)
     */
    public Output predict(float[] values, long[] shape) throws IOException {
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape);
                OrtSession.Result result = session.run(Map.of(inputName, input))) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor tensor)) {
                throw new IOException(name + " returned " + value.getType() + ", not a tensor");
            }
            long[] outputShape = tensor.getInfo().getShape();
            FloatBuffer buffer = tensor.getFloatBuffer();
            if (buffer == null) {
                throw new IOException(name + " returned " + tensor.getInfo().type + ", not float32");
            }
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            return new Output(outputShape, out);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime failed to run " + name + " on " + Arrays.toString(shape) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns the model's custom metadata ({@code metadata_props}) as ONNX Runtime reads it.
     *
     * @return key to value
     * @throws IOException if ONNX Runtime cannot read it
     */
    public Map<String, String> metadata() throws IOException {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot read the metadata of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Closes the session. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close " + name + ": " + e.getMessage(), e);
        }
    }
}
