package io.djlprune.engine;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which device a run uses, as a user states it: {@code auto} (the first GPU the engine reports, else the CPU),
 * {@code cpu}, {@code gpu} (the first GPU, refusing to fall back), or {@code gpu:N}.
 *
 * <p>The choice is resolved against the devices the engine reports, never against a hard-coded list, so the same
 * code runs on a laptop and on a CUDA machine.
 */
public final class DeviceChoice {

    /** The choice every entry point uses unless the user says otherwise. */
    public static final DeviceChoice AUTO = new DeviceChoice("auto", -1);

    private final String kind;
    private final int gpuIndex;

    private DeviceChoice(String kind, int gpuIndex) {
        this.kind = kind;
        this.gpuIndex = gpuIndex;
    }

    /**
     * Parses a user's device option.
     *
     * @param text one of {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N} (case-insensitive)
     * @return the parsed choice
     * @throws IllegalArgumentException if the text is none of these
     */
    public static DeviceChoice parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto":
                return AUTO;
            case "cpu":
                return new DeviceChoice("cpu", -1);
            case "gpu":
                return new DeviceChoice("gpu", -1);
            default:
                if (value.startsWith("gpu:")) {
                    try {
                        int index = Integer.parseInt(value.substring(4));
                        if (index >= 0) {
                            return new DeviceChoice("gpu", index);
                        }
                    } catch (NumberFormatException ignored) {
                        // falls through to the error below, which names the accepted forms
                    }
                }
                throw new IllegalArgumentException(
                        "Unknown device '" + text + "': use auto, cpu, gpu or gpu:N (N ≥ 0).");
        }
    }

    /**
     * Resolves this choice against the devices an engine reports ({@code Engine.getInstance().getDevices()}).
     *
     * @param available the engine's devices, GPUs first as DJL lists them, possibly only the CPU
     * @return the device to run on
     * @throws IllegalStateException if a GPU was required and the engine reports none (or not that index)
     */
    public Device resolve(Device[] available) {
        List<Device> gpus = new ArrayList<>();
        for (Device device : available) {
            if (device.isGpu()) {
                gpus.add(device);
            }
        }
        switch (kind) {
            case "cpu":
                return Device.cpu();
            case "auto":
                return gpus.isEmpty() ? Device.cpu() : gpus.get(0);
            default:
                if (gpus.isEmpty()) {
                    throw new IllegalStateException(
                            "A GPU was requested but the engine reports none (devices: "
                                    + Arrays.toString(available)
                                    + "). Build with -Dcuda (README, \"Using a GPU\") or use --device cpu.");
                }
                if (gpuIndex < 0) {
                    return gpus.get(0);
                }
                for (Device gpu : gpus) {
                    if (gpu.getDeviceId() == gpuIndex) {
                        return gpu;
                    }
                }
                throw new IllegalStateException(
                        "GPU " + gpuIndex + " was requested but the engine reports " + gpus + ".");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return gpuIndex >= 0 ? kind + ":" + gpuIndex : kind;
    }
}
