package io.djlprune.cli;

import io.djlprune.engine.DeviceChoice;
import io.djlprune.latency.LatencyTables;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The options of a latency budget ({@code --budget latency=R}) for {@code prune}: where its latency table is measured
 * and stored, and how the pruned model's latency is measured against the dense one.
 */
final class LatencyOptions {

    @Option(
            names = "--latency-device",
            description = "The device the latency table is measured on and the exported models are timed on: the one"
                    + " that will serve the model; auto, cpu, gpu or gpu:N (default: the run's --device).")
    String device;

    @Option(
            names = "--latency-batch",
            description = "Batch size of the latency table and of the measured latency (default: ${DEFAULT-VALUE}).")
    int batchSize = LatencyTables.DEFAULT_BATCH_SIZE;

    @Option(
            names = "--latency-table",
            paramLabel = "FILE",
            description = "The latency table's cache file: used when it was measured for this network, device, LibTorch,"
                    + " batch size, threads and --round-to, else measured again and replaced (default:"
                    + " runs/latency/<model>.json).")
    Path table;

    @Option(
            names = "--latency-rounds",
            description = "Interleaved rounds of the dense and the pruned model.pt whose median ratio is the measured"
                    + " latency ratio (default: ${DEFAULT-VALUE}).")
    int rounds = LatencyBudget.DEFAULT_ROUNDS;

    /**
     * Checks the values and maps them onto the run's latency settings.
     *
     * @param spec the command, for usage errors
     * @param model the catalog model, for the default cache file
     * @return the settings
     * @throws CommandLine.ParameterException naming the bad option
     */
    LatencyBudget latency(CommandLine.Model.CommandSpec spec, String model) {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--latency-batch must be ≥ 1, got " + batchSize);
        }
        if (rounds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--latency-rounds must be ≥ 1, got " + rounds);
        }
        DeviceChoice choice;
        try {
            choice = device == null ? null : DeviceChoice.parse(device);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--latency-device: " + e.getMessage());
        }
        return new LatencyBudget(
                choice, batchSize, table != null ? table : LatencyBudget.defaultTable(model), rounds);
    }
}
