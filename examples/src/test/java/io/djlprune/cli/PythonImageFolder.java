package io.djlprune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.SkipException;

/**
 * Runs {@code image_folder_fixture.py} (a test resource) with Debian's {@code /usr/bin/python3}, python3-torch and
 * python3-torchvision: draws image folders, trains torchvision models on them, evaluates TorchScript files in PyTorch.
 */
final class PythonImageFolder {

    static final String PYTHON = "/usr/bin/python3";

    private final Path script;

    private PythonImageFolder(Path script) {
        this.script = script;
    }

    /**
     * Copies the script into a folder, after checking that Python has torch and torchvision.
     *
     * @param dir where to put the script
     * @return the runner
     * @throws SkipException naming what to install, if Python lacks them
     */
    static PythonImageFolder in(Path dir) throws IOException, InterruptedException {
        String missing = run(List.of(PYTHON, "-c", "import torch, torchvision, PIL"));
        if (missing != null) {
            throw new SkipException(PYTHON + " cannot import torch, torchvision and PIL (bash"
                    + " scripts/ensure-python.sh installs them): " + missing);
        }
        Path script = dir.resolve("image_folder_fixture.py");
        try (InputStream in = PythonImageFolder.class.getResourceAsStream("image_folder_fixture.py")) {
            if (in == null) {
                throw new IOException("test resource image_folder_fixture.py is missing");
            }
            Files.copy(in, script);
        }
        return new PythonImageFolder(script);
    }

    /**
     * Runs one command of the script.
     *
     * @param args the command and its arguments
     * @return its standard output
     * @throws IOException if it fails, with its output
     */
    String call(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        Path out = Files.createTempFile(script.getParent(), "python", ".out");
        Path err = Files.createTempFile(script.getParent(), "python", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within 5 minutes");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command + " failed (exit " + process.exitValue() + "):\n" + output
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return output;
    }

    /** Returns null if the command succeeds, else its output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "cannot start " + command.get(0) + ": " + e.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return process.exitValue() == 0 ? null : output.strip();
    }
}
