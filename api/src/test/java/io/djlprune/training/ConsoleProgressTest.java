package io.djlprune.training;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Progress as a bar on a terminal and as a bounded number of plain lines in a log. */
public class ConsoleProgressTest {

    private static final int STEPS = 1000;

    /** The time the progress reads, set by the test before each step. */
    private long now;

    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream terminalBytes = new ByteArrayOutputStream();

    private ConsoleProgress progress(ConsoleProgress.Mode mode) {
        lines.clear();
        terminalBytes.reset();
        now = 0;
        PrintStream terminal = new PrintStream(terminalBytes, true, StandardCharsets.UTF_8);
        return new ConsoleProgress(mode, terminal, lines::add, () -> now);
    }

    private String terminal() {
        return terminalBytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs one pass of {@link #STEPS} steps, each taking {@code millisPerStep}. */
    private void pass(ConsoleProgress progress, long millisPerStep) {
        for (int i = 0; i < STEPS; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(millisPerStep);
            progress.update(i, "loss: 0.50");
        }
    }

    @Test
    public void aLogGetsOneLinePerStepOfFivePercentNotAFramePerPercent() {
        ConsoleProgress progress = progress(ConsoleProgress.Mode.LINES);
        progress.reset("Training", STEPS);
        // 1 s per step: each 5 % step takes 50 s, longer than the interval, so every step is logged
        pass(progress, 1000);
        Assert.assertEquals(lines.size(), 100 / ConsoleProgress.STEP_PERCENT, String.join("\n", lines));
        // the pass starts at its first report, when one step is already done
        Assert.assertEquals(lines.get(0), "Training: 5% (50/1000), 49 s elapsed, about 15 min 31 s left; loss: 0.50");
        Assert.assertEquals(lines.get(lines.size() - 1), "Training: 100% (1000/1000), 16 min 39 s elapsed; loss: 0.50");
        for (String line : lines) {
            Assert.assertFalse(line.contains("\r"), line);
        }
        Assert.assertEquals(terminal(), "", "a log mode must not draw on the terminal");
    }

    @Test
    public void aFastPassIsLoggedAtMostOncePerInterval() {
        ConsoleProgress progress = progress(ConsoleProgress.Mode.LINES);
        progress.reset("Training", STEPS);
        // 100 ms per step: the pass takes 100 s, 5 s per 5 % step, so the 10 s interval allows a line per 10 %, the
        // first a step after 10 % (10.0 s after the first report), the last at 90 % (100 % comes 9.9 s later)
        pass(progress, 100);
        Assert.assertEquals(lines.size(), 9, String.join("\n", lines));
        Assert.assertTrue(lines.get(0).startsWith("Training: 10% (101/1000), 10 s elapsed"), lines.get(0));
        Assert.assertTrue(lines.get(8).startsWith("Training: 90% (901/1000), 1 min 30 s elapsed"), lines.get(8));

        // 1 ms per step: a one-second pass says nothing (the epoch summary that follows does)
        progress.reset("Training", STEPS);
        lines.clear();
        pass(progress, 1);
        Assert.assertEquals(lines, List.of());
    }

    @Test
    public void progressThatGoesBackStartsANewPass() {
        ConsoleProgress progress = progress(ConsoleProgress.Mode.LINES);
        progress.reset("Training", STEPS);
        pass(progress, 1000);
        pass(progress, 1000);
        Assert.assertEquals(lines.size(), 2 * 100 / ConsoleProgress.STEP_PERCENT);
        String secondPassFirst = lines.get(100 / ConsoleProgress.STEP_PERCENT);
        Assert.assertTrue(secondPassFirst.startsWith("Training: 5% (50/1000), 49 s elapsed"), secondPassFirst);
    }

    @Test
    public void aTerminalStillGetsTheBarRedrawnInPlace() {
        ConsoleProgress progress = progress(ConsoleProgress.Mode.BAR);
        progress.reset("Training", STEPS);
        pass(progress, 1000);
        String out = terminal();
        // one frame per percent, 0 to 100, each starting with a carriage return; only the last one ends the line
        Assert.assertEquals(out.chars().filter(c -> c == '\r').count(), 101);
        Assert.assertTrue(out.startsWith("\rTraining:      0% |"), out.substring(0, 40));
        Assert.assertTrue(out.contains("\rTraining:    100% |"), out);
        Assert.assertTrue(out.endsWith("| loss: 0.50" + System.lineSeparator()), out);
        Assert.assertEquals(out.chars().filter(c -> c == '\n').count(), 1);
        Assert.assertEquals(lines, List.of(), "a terminal mode must not log lines");
    }

    @Test
    public void incrementsAndEndFillTheBar() {
        // as Evaluation.accuracy reports: samples done per batch, then end()
        ConsoleProgress progress = progress(ConsoleProgress.Mode.BAR);
        progress.reset("Hard mask", 100);
        progress.increment(32);
        progress.increment(32);
        progress.increment(32);
        progress.end();
        String[] frames = terminal().strip().split("\r");
        Assert.assertEquals(frames.length, 4, terminal());
        Assert.assertTrue(frames[0].startsWith("Hard mask:    32% |"), frames[0]);
        Assert.assertTrue(frames[2].startsWith("Hard mask:    96% |"), frames[2]);
        Assert.assertTrue(frames[3].startsWith("Hard mask:   100% |"), frames[3]);
    }

    @Test
    public void offWritesNothing() {
        ConsoleProgress progress = progress(ConsoleProgress.Mode.OFF);
        progress.reset("Training", STEPS);
        pass(progress, 1000);
        progress.end();
        Assert.assertEquals(lines, List.of());
        Assert.assertEquals(terminal(), "");
    }

    @Test
    public void durationsReadAsSecondsMinutesOrHours() {
        Assert.assertEquals(ConsoleProgress.duration(TimeUnit.MILLISECONDS.toNanos(42_400)), "42 s");
        Assert.assertEquals(ConsoleProgress.duration(TimeUnit.SECONDS.toNanos(185)), "3 min 05 s");
        Assert.assertEquals(ConsoleProgress.duration(TimeUnit.MINUTES.toNanos(127)), "2 h 07 min");
    }
}
