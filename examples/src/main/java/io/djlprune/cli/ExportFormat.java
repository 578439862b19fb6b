package io.djlprune.cli;

import io.djlprune.compact.CompactModelExporter;
import io.djlprune.export.ExportReport;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.export.onnx.OnnxExport;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The file formats a compacted model is exported in ({@code export --format}, {@code prune --export}); each export is
 * verified against the DJL block (TorchScript through LibTorch, ONNX through ONNX Runtime) before it is kept.
 */
enum ExportFormat {
    /** A TorchScript {@code .pt}, for LibTorch and DJL's PyTorch engine. */
    TORCHSCRIPT(".pt"),
    /** An ONNX {@code .onnx} (opset 13), for ONNX Runtime and DJL's OnnxRuntime engine. */
    ONNX(".onnx");

    /** The tolerance of every verification the commands make. */
    static final double TOLERANCE = 1e-5;

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    /**
     * Returns the file name extension, with its dot.
     *
     * @return {@code .pt} or {@code .onnx}
     */
    String extension() {
        return extension;
    }

    /**
     * Returns the file a prune run writes in this format: {@code model.pt} or {@code model.onnx}.
     *
     * @param folder the run folder
     * @return the file
     */
    Path modelFile(Path folder) {
        return folder.resolve("model" + extension);
    }

    /** An exporter and the report of its last export. */
    record Exporter(CompactModelExporter exporter, Supplier<ExportReport> lastReport) {}

    /**
     * Creates the verified exporter of this format, storing the class names as {@code classes.json}: an entry of a
     * TorchScript archive's {@code extra/}, or a key of an ONNX file's {@code metadata_props}.
     *
     * @param target the file to write
     * @param classNames the name of each output, or empty
     * @return the exporter
     */
    Exporter exporter(Path target, List<String> classNames) {
        if (this == ONNX) {
            OnnxExport export = new OnnxExport(target, CompactModels.CLASSIFIER, TOLERANCE).withClassNames(classNames);
            return new Exporter(export, export::getLastReport);
        }
        TorchScriptExport export =
                new TorchScriptExport(target, CompactModels.CLASSIFIER, TOLERANCE).withClassNames(classNames);
        return new Exporter(export, export::getLastReport);
    }

    @Override
    public String toString() {
        return OptionConverters.key(this);
    }
}
