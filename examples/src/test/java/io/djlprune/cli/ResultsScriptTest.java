package io.djlprune.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/**
 * Runs {@code scripts/results.sh} from a scratch copy whose {@code djl-prune} is a stand-in that records its command
 * line and writes the report a finished run leaves, and checks the commands of the step behind {@code
 * docs/RESULTS.md}'s "other methods" tables: the dense models first, then every method at every budget from them, and
 * nothing redone when the script is run again after an interruption.
 */
public class ResultsScriptTest {

    private Path root;
    private Path calls;

    /** Copies the script into a scratch tree with a recording {@code djl-prune} and an empty jar. */
    @BeforeMethod
    public void copyScript() throws IOException {
        Path project = Path.of("..").toAbsolutePath().normalize();
        root = Files.createTempDirectory("results-script");
        calls = root.resolve("calls.txt");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("examples/target"));
        Files.copy(project.resolve("scripts/results.sh"), root.resolve("scripts/results.sh"));
        Files.writeString(root.resolve("examples/target/djl-prune.jar"), "");
        // Records the command, then leaves the report that marks the run finished in its --output folder.
        String stub = "#!/usr/bin/env bash\n"
                + "echo \"$*\" >> '" + calls + "'\n"
                + "out=''; prev=''; for a in \"$@\"; do [ \"$prev\" = --output ] && out=$a; prev=$a; done\n"
                + "mkdir -p \"$out\"; echo '{}' > \"$out/$1-report.json\"\n";
        Path cli = root.resolve("djl-prune");
        Files.writeString(cli, stub, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Removes the scratch tree. */
    @AfterMethod(alwaysRun = true)
    public void deleteScript() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    public void otherMethodsTrainsTheDenseModelsThenPrunesEveryMethodAtEveryBudgetOnce() throws Exception {
        Path out = root.resolve("out");
        runSteps("other-methods", out);
        List<String> first = Files.readAllLines(calls);
        Assert.assertEquals(first.get(0), "train --model lenet5 --epochs 3 --output " + out + "/crisp-lenet5/dense");
        Assert.assertEquals(first.get(1), "train --model resnet20 --epochs 2 --output " + out + "/dense-r20");
        List<String> prunes = first.subList(2, first.size());
        // LeNet-5: three methods at three budgets; ResNet-20: two methods at two.
        Assert.assertEquals(prunes.size(), 3 * 3 + 2 * 2, String.join("\n", first));
        Assert.assertTrue(prunes.contains("prune --model lenet5 --pretrained " + out + "/crisp-lenet5/dense"
                + " --method random --budget flops=0.1 --finetune-epochs 2 --resume --output " + out
                + "/other-methods/lenet5-random-flops-0.1"), String.join("\n", prunes));
        Assert.assertTrue(prunes.contains("prune --model resnet20 --pretrained " + out + "/dense-r20"
                + " --method group-hs --budget flops=0.5 --finetune-epochs 2 --resume --output " + out
                + "/other-methods/resnet20-group-hs-flops-0.5"), String.join("\n", prunes));
        Assert.assertEquals(prunes.stream().distinct().count(), (long) prunes.size(), "each run once");

        // Interrupted after some runs: running the step again redoes none of the finished ones.
        Files.delete(out.resolve("other-methods/resnet20-l1-flops-0.1/prune-report.json"));
        Files.delete(calls);
        runSteps("other-methods", out);
        Assert.assertEquals(Files.readAllLines(calls), List.of("prune --model resnet20 --pretrained " + out
                + "/dense-r20 --method l1 --budget flops=0.1 --finetune-epochs 2 --resume --output " + out
                + "/other-methods/resnet20-l1-flops-0.1"));
    }

    @Test
    public void refusesAnUnknownStepNamingTheKnownOnes() throws Exception {
        Process process = start("no-such-step", root.resolve("out"));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assert.assertTrue(process.waitFor(60, TimeUnit.SECONDS), "script did not exit");
        Assert.assertEquals(process.exitValue(), 2, output);
        Assert.assertTrue(output.contains("unknown step 'no-such-step': use one of:"), output);
        Assert.assertTrue(output.contains("other-methods"), output);
        Assert.assertFalse(Files.exists(calls), "nothing run");
    }

    private void runSteps(String steps, Path out) throws Exception {
        Process process = start(steps, out);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assert.assertTrue(process.waitFor(60, TimeUnit.SECONDS), "script did not exit");
        Assert.assertEquals(process.exitValue(), 0, output);
    }

    private Process start(String steps, Path out) throws IOException {
        List<String> line = new ArrayList<>(List.of("bash", root.resolve("scripts/results.sh").toString()));
        line.add(out.toString());
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("STEPS", steps);
        return builder.start();
    }
}
