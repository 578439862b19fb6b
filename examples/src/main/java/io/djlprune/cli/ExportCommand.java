package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlprune.compact.CompactionResult;
import io.djlprune.engine.Engines;
import io.djlprune.mask.MaskPlan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune export}: a prune run's weights and plan → a compacted, verified TorchScript {@code .pt} (checked
 * through LibTorch) or ONNX {@code .onnx} (checked through ONNX Runtime). The input shape, class count and class names
 * come from the run's report ({@link RunInput}), so a run on the user's own images exports without its data.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Compact a pruned run with its plan and write a TorchScript .pt verified through LibTorch, or an"
                + " ONNX .onnx verified through ONNX Runtime.")
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Mixin RunFolderOptions run;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The .pt or .onnx file to write.")
    Path output;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            converter = OptionConverters.Format.class,
            description = "torchscript or onnx (default: ${DEFAULT-VALUE}).")
    ExportFormat format = ExportFormat.TORCHSCRIPT;

    @Mixin DeviceOption device;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (!output.getFileName().toString().endsWith(format.extension())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--output must name a " + format.extension() + " file for --format " + format + ", got " + output);
        }
        Device runDevice = device.resolve(spec);
        MaskPlan plan = run.loadPlan();
        RunInput input = RunInput.read(run.runDir);
        try (NDManager manager = NDManager.newBaseManager(runDevice);
                Model dense = Model.newInstance(plan.getModel(), runDevice, Engines.PYTORCH)) {
            CompactionResult compact =
                    CompactModels.loadAndCompact(
                            run.runDir, plan, dense, manager, input.sampleShape(), input.classes());
            format.exporter(output, input.classNames())
                    .exporter()
                    .export(compact, plan, new Shape(1).addAll(input.sampleShape()));
        }
        return 0;
    }
}
