package io.djlprune.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code prune --export}: the formats the compacted, fine-tuned model is exported in, each verified. */
final class ExportFormatsOption {

    @Option(
            names = "--export",
            split = ",",
            paramLabel = "FORMAT",
            defaultValue = "torchscript",
            converter = OptionConverters.Format.class,
            description = "Formats to export the compacted model in, comma-separated: torchscript (model.pt), onnx"
                    + " (model.onnx) (default: ${DEFAULT-VALUE}).")
    List<ExportFormat> formats = new ArrayList<>();

    /**
     * Returns the chosen formats, each once, TorchScript first.
     *
     * @param spec the command, for the error
     * @return the formats
     * @throws CommandLine.ParameterException if none is chosen
     */
    List<ExportFormat> formats(CommandLine.Model.CommandSpec spec) {
        if (formats.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--export needs at least one format");
        }
        return List.copyOf(EnumSet.copyOf(formats));
    }
}
