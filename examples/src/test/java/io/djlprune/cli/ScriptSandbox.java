package io.djlprune.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.testng.Assert;

/**
 * A scratch copy of some of the project's shell scripts, with an empty jar where the build puts the tool's, for tests
 * that run a script against stand-in executables instead of the real JVM or tool.
 */
final class ScriptSandbox implements AutoCloseable {

    private final Path root;

    private ScriptSandbox(Path root) {
        this.root = root;
    }

    /**
     * Creates a sandbox holding copies of some project files, at the same relative paths.
     *
     * @param projectFiles paths relative to the project's root
     * @return the sandbox
     * @throws IOException if a file cannot be copied
     */
    static ScriptSandbox copying(String... projectFiles) throws IOException {
        Path project = Path.of("..").toAbsolutePath().normalize();
        ScriptSandbox sandbox = new ScriptSandbox(Files.createTempDirectory("scripts"));
        for (String file : projectFiles) {
            Path target = sandbox.path(file);
            Files.createDirectories(target.getParent());
            Files.copy(project.resolve(file), target);
        }
        Path jar = sandbox.path("examples/target/djl-prune.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        return sandbox;
    }

    /**
     * Resolves a path inside the sandbox.
     *
     * @param relative the path relative to the sandbox's root
     * @return the absolute path
     */
    Path path(String relative) {
        return root.resolve(relative);
    }

    /**
     * Writes an executable script into the sandbox.
     *
     * @param relative its path relative to the sandbox's root
     * @param text the script
     * @throws IOException if it cannot be written
     */
    void writeExecutable(String relative, String text) throws IOException {
        Path file = path(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Runs a script of the sandbox with bash and waits for it, failing the test if it does not exit within 30 s.
     *
     * @param script its path relative to the sandbox's root
     * @param environment adjusts the environment the script starts with
     * @param args its arguments
     * @return its exit code and its standard output and error, merged
     * @throws IOException if it cannot be started
     * @throws InterruptedException if the wait is interrupted
     */
    Run run(String script, Consumer<Map<String, String>> environment, String... args)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("bash", path(script).toString()));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        environment.accept(builder.environment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assert.assertTrue(process.waitFor(30, TimeUnit.SECONDS), script + " did not exit");
        return new Run(process.exitValue(), output);
    }

    /** Deletes the sandbox. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** The exit code and the merged standard output and error of one script run. */
    record Run(int exitCode, String output) {}
}
