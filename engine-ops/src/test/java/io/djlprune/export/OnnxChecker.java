package io.djlprune.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.testng.Assert;

/**
 * Runs ONNX's own checker ({@code onnx.checker.check_model} with full shape inference, Debian's {@code python3-onnx},
 * which {@code .ci/run} installs) on an exported file: a second opinion beside ONNX Runtime, which accepts some files
 * the standard does not. Shared with the end-to-end tests module through this module's test-jar.
 */
public final class OnnxChecker {

    private static final String SCRIPT = "import onnx, sys\n"
            + "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\n";

    private OnnxChecker() {}

    /**
     * Fails the calling test unless ONNX's checker accepts the file.
     *
     * @param file the {@code .onnx} file
     * @throws IOException if the checker cannot be started
     * @throws InterruptedException if interrupted while it runs
     */
    public static void check(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, file.toString())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assert.fail("ONNX's checker did not finish on " + file + " within 120 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (output.contains("No module named 'onnx'")) {
            Assert.fail("ONNX's checker is missing: bash scripts/ensure-python.sh (as .ci/run does) installs python3-onnx");
        }
        Assert.assertEquals(process.exitValue(), 0, "onnx.checker.check_model refused " + file + ":\n" + output);
    }
}
