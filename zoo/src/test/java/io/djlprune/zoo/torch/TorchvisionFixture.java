package io.djlprune.zoo.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testng.SkipException;

/**
 * Makes torchvision fixtures at test time with Debian's {@code /usr/bin/python3} and python3-torch (see
 * {@code torchvision_fixture.py}): a state_dict file, an input batch and torchvision's eval-mode outputs.
 */
final class TorchvisionFixture {

    static final String PYTHON = "/usr/bin/python3";

    /** Fixtures shared by test classes of one JVM (VGG's take seconds and 0.5 GB each), by their arguments. */
    private static final Map<String, TorchvisionFixture> SHARED = new HashMap<>();

    private static Path sharedDir;

    final Path stateDict;
    final Path inputFile;
    final float[] input;
    final float[] output;

    private TorchvisionFixture(Path dir) throws IOException {
        stateDict = dir.resolve("state_dict.pt");
        inputFile = dir.resolve("input.bin");
        input = floats(inputFile);
        output = floats(dir.resolve("output.bin"));
    }

    /**
     * Returns the fixture {@link #make} writes for these arguments, made once per JVM in a folder deleted when the JVM
     * exits.
     */
    static synchronized TorchvisionFixture shared(String arch, int classes, int seed, int batch, int size)
            throws IOException, InterruptedException {
        String key = arch + "/" + classes + "/" + seed + "/" + batch + "/" + size;
        TorchvisionFixture fixture = SHARED.get(key);
        if (fixture == null) {
            if (sharedDir == null) {
                Path dir = Files.createTempDirectory("torchvision-fixtures");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                sharedDir = dir;
            }
            fixture = make(arch, classes, seed, batch, size, sharedDir);
            SHARED.put(key, fixture);
        }
        return fixture;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete the fixture folder " + root, e);
        }
    }

    /** Skips the calling test, naming the reason, if /usr/bin/python3 cannot import torch and torchvision. */
    static void requireTorch() throws IOException, InterruptedException {
        Result r = run(List.of(PYTHON, "-c", "import torch, torchvision"));
        if (r.exit != 0) {
            throw new SkipException(PYTHON + " cannot import torch and torchvision (apt-get install -y python3-torch"
                    + " python3-torchvision; .ci/run does): " + r.output.strip());
        }
    }

    /** Writes a fixture for {@code torchvision.models.<arch>} into a new directory under {@code parent}. */
    static TorchvisionFixture make(String arch, int classes, int seed, int batch, int size, Path parent)
            throws IOException, InterruptedException {
        requireTorch();
        Path dir = Files.createTempDirectory(parent, arch);
        Path script = dir.resolve("torchvision_fixture.py");
        try (InputStream in = TorchvisionFixture.class.getResourceAsStream("torchvision_fixture.py")) {
            if (in == null) {
                throw new IOException("test resource torchvision_fixture.py is missing");
            }
            Files.copy(in, script);
        }
        Result r = run(List.of(PYTHON, script.toString(), arch, Integer.toString(classes), Integer.toString(seed),
                Integer.toString(batch), Integer.toString(size), dir.toString()));
        if (r.exit != 0) {
            throw new IOException("fixture script failed for " + arch + " (exit " + r.exit + "):\n" + r.output);
        }
        return new TorchvisionFixture(dir);
    }

    /**
     * Runs a Python snippet with {@code sys.argv[1:]} set to the arguments, after {@link #requireTorch()}.
     *
     * @throws IOException if the snippet fails; the message holds its output
     */
    static void python(String code, String... args) throws IOException, InterruptedException {
        requireTorch();
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON, "-c", code));
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.exit != 0) {
            throw new IOException("python snippet failed (exit " + r.exit + "):\n" + r.output);
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within 5 minutes");
        }
        return new Result(process.exitValue(), output);
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
