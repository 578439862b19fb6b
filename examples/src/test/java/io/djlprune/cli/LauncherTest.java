package io.djlprune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Runs the {@code djl-prune} shell launcher with a stand-in {@code java} that prints its arguments, and checks the JVM
 * options the launcher passes: the heap pre-touch for training commands only (so resident memory after the first epoch
 * is the working set), the user's {@code JAVA_OPTS} after the launcher's own (so they can turn it off), the offline
 * switch, and the allocator settings it exports.
 */
public class LauncherTest {

    private static final String PRETOUCH = "-XX:+AlwaysPreTouch";

    private ScriptSandbox sandbox;

    /** Copies the launcher and the scripts it sources, and puts a {@code java} that prints its arguments on a PATH. */
    @BeforeClass
    public void copyLauncher() throws IOException {
        sandbox = ScriptSandbox.copying("djl-prune", "scripts/cpu-kernels.sh", "scripts/memory-allocator.sh");
        // One argument per line, then the environment the JVM would see.
        sandbox.writeExecutable("bin/java", "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n"
                + "echo \"ENV MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-}\"\n");
    }

    /** Removes the scratch tree. */
    @AfterClass(alwaysRun = true)
    public void deleteLauncher() throws IOException {
        sandbox.close();
    }

    @Test
    public void trainingCommandsPreTouchTheHeapBeforeTheUsersOptions() throws Exception {
        for (String command : List.of("train", "prune", "sparsify", "finetune", "sweep")) {
            List<String> args = launch(Map.of("JAVA_OPTS", "-Xmx2g -XX:-AlwaysPreTouch"), command, "--epochs", "3");
            int touch = args.indexOf(PRETOUCH);
            Assert.assertTrue(touch >= 0, command + " must pre-touch the heap: " + args);
            Assert.assertTrue(touch < args.indexOf("-XX:-AlwaysPreTouch"),
                    "the user's JAVA_OPTS must come after the launcher's options, to override them: " + args);
            assertPassesCommand(args, command, "--epochs", "3");
        }
    }

    @Test
    public void otherCommandsDoNotPreTouchTheHeap() throws Exception {
        for (String command : List.of("eval", "export", "--help")) {
            List<String> args = launch(Map.of(), command);
            Assert.assertFalse(args.contains(PRETOUCH), command + " must start without the heap touch: " + args);
            assertPassesCommand(args, command);
        }
        Assert.assertFalse(launch(Map.of()).contains(PRETOUCH), "no command: no heap touch");
    }

    @Test
    public void defaultsToAnEightGibHeapOfflineWithOneMallocArena() throws Exception {
        List<String> args = launch(Map.of(), "prune");
        Assert.assertTrue(args.contains("-Xmx8g"), args.toString());
        Assert.assertTrue(args.contains("-Dai.djl.offline=true"), args.toString());
        Assert.assertTrue(args.contains("ENV MALLOC_ARENA_MAX=1"), args.toString());
        List<String> online = launch(Map.of("DJL_PRUNE_ONLINE", "1", "JAVA_OPTS", "-Xmx3g"), "prune");
        Assert.assertTrue(online.contains("-Dai.djl.offline=false"), online.toString());
        Assert.assertTrue(online.contains("-Xmx3g") && !online.contains("-Xmx8g"), online.toString());
    }

    @Test
    public void refusesToStartWithoutTheBuiltJar() throws Exception {
        Path jar = sandbox.path("examples/target/djl-prune.jar");
        Path aside = sandbox.path("examples/target/aside.jar");
        Files.move(jar, aside);
        try {
            ScriptSandbox.Run run = start(Map.of(), "prune");
            Assert.assertEquals(run.exitCode(), 1, run.output());
            Assert.assertTrue(run.output().contains("is missing; build it first with: mvn -B -DskipTests package"),
                    run.output());
        } finally {
            Files.move(aside, jar);
        }
    }

    /** Asserts the JVM is started on the jar with the user's command line unchanged after it. */
    private static void assertPassesCommand(List<String> args, String... command) {
        int jar = args.indexOf("-jar");
        Assert.assertTrue(jar >= 0, args.toString());
        Assert.assertTrue(args.get(jar + 1).endsWith("examples/target/djl-prune.jar"), args.toString());
        List<String> passed = args.subList(jar + 2, args.size() - 1);
        Assert.assertEquals(passed, List.of(command), args.toString());
    }

    private List<String> launch(Map<String, String> env, String... command) throws Exception {
        ScriptSandbox.Run run = start(env, command);
        Assert.assertEquals(run.exitCode(), 0, run.output());
        // The CPU-kernel check may print one note on some CPUs; only the stand-in's lines matter here.
        return run.output().lines().filter(line -> !line.startsWith("djl-prune: ")).toList();
    }

    private ScriptSandbox.Run start(Map<String, String> env, String... command) throws Exception {
        return sandbox.run("djl-prune", environment -> {
            environment.remove("JAVA_OPTS");
            environment.remove("DJL_PRUNE_ONLINE");
            environment.remove("MALLOC_ARENA_MAX");
            environment.put("PATH", sandbox.path("bin") + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
            environment.putAll(env);
        }, command);
    }
}
