package io.djlprune.cli;

import ai.djl.Device;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --device} option every command shares, resolved against the devices the engine reports. */
final class DeviceOption {

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device = "auto";

    /**
     * Parses the option; a malformed value is a command-line error.
     *
     * @param spec the command, for the error
     * @return the choice
     */
    DeviceChoice choice(CommandLine.Model.CommandSpec spec) {
        try {
            return DeviceChoice.parse(device);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Resolves the option against the PyTorch engine's devices.
     *
     * @param spec the command, for the error
     * @return the device to run on
     */
    Device resolve(CommandLine.Model.CommandSpec spec) {
        return choice(spec).resolve(Engines.pytorch().getDevices());
    }
}
