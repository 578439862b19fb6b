package io.djlprune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    private ScriptSandbox sandbox;
    private Path calls;

    /** Copies the script beside a {@code djl-prune} that records its command line. */
    @BeforeMethod
    public void copyScript() throws IOException {
        sandbox = ScriptSandbox.copying("scripts/results.sh");
        calls = sandbox.path("calls.txt");
        // Records the command, then leaves the report that marks the run finished in its --output folder.
        sandbox.writeExecutable("djl-prune", "#!/usr/bin/env bash\n"
                + "echo \"$*\" >> '" + calls + "'\n"
                + "out=''; prev=''; for a in \"$@\"; do [ \"$prev\" = --output ] && out=$a; prev=$a; done\n"
                + "mkdir -p \"$out\"; echo '{}' > \"$out/$1-report.json\"\n");
    }

    /** Removes the scratch tree. */
    @AfterMethod(alwaysRun = true)
    public void deleteScript() throws IOException {
        sandbox.close();
    }

    @Test
    public void otherMethodsTrainsTheDenseModelsThenPrunesEveryMethodAtEveryBudgetOnce() throws Exception {
        Path out = sandbox.path("out");
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
        ScriptSandbox.Run run = start("no-such-step", sandbox.path("out"));
        String output = run.output();
        Assert.assertEquals(run.exitCode(), 2, output);
        Assert.assertTrue(output.contains("unknown step 'no-such-step': use one of:"), output);
        Assert.assertTrue(output.contains("other-methods"), output);
        Assert.assertFalse(Files.exists(calls), "nothing run");
    }

    private void runSteps(String steps, Path out) throws Exception {
        ScriptSandbox.Run run = start(steps, out);
        Assert.assertEquals(run.exitCode(), 0, run.output());
    }

    private ScriptSandbox.Run start(String steps, Path out) throws Exception {
        return sandbox.run("scripts/results.sh", environment -> environment.put("STEPS", steps), out.toString());
    }
}
