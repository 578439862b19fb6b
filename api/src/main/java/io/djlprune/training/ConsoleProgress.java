package io.djlprune.training;

import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Progress} that suits where the output goes: on a terminal it redraws a bar in place like DJL's
 * {@code ProgressBar}; in output that is not a terminal (CI, {@code nohup}, a redirect to a file) it logs one plain
 * line per {@value #STEP_PERCENT} % step, at most one per {@value #MIN_INTERVAL_SECONDS} s.
 *
 * <p>Why: DJL's bar writes a carriage-return frame for every percent, which a terminal overwrites but a log file keeps,
 * so a log of a few epochs was mostly bar frames. Here a pass shorter than {@value #MIN_INTERVAL_SECONDS} s leaves no
 * line at all (the epoch summary that follows says what it did), and a long one at most 100 / {@value #STEP_PERCENT}
 * lines, each with how far it is, how long it took so far and about how long it still needs.
 *
 * <p>DJL's switches {@code DJL_DISABLE_PROGRESS_BAR=true} (environment or system property) and
 * {@code -DdisableProgressBar=true} turn it off in both modes, as they turn off DJL's bar.
 *
 * <p>As in DJL, {@code update(p)} means unit {@code p} (counted from 0) is done, so {@code end()} is
 * {@code update(max - 1)}; progress that goes back (the next epoch's first batch) starts a new pass.
 */
public final class ConsoleProgress implements Progress {

    /** The percent step between two lines in a log that is not a terminal. */
    public static final int STEP_PERCENT = 5;

    /** The least time between two lines in a log that is not a terminal, in seconds. */
    public static final int MIN_INTERVAL_SECONDS = 10;

    private static final Logger logger = LoggerFactory.getLogger(ConsoleProgress.class);
    private static final int BAR_LENGTH = 40;

    /** Where the progress is shown. */
    public enum Mode {
        /** A bar redrawn in place ({@code \r} frames) on standard output, for a terminal. */
        BAR,
        /** One plain log line per few percent, for output that is not a terminal. */
        LINES,
        /** Nothing, when DJL's progress bar switches are set. */
        OFF;

        /**
         * Chooses the mode for this JVM: {@link #OFF} if DJL's progress bar is disabled, {@link #BAR} if the JVM has a
         * console (standard input and output are a terminal), {@link #LINES} otherwise.
         *
         * @return the mode
         */
        public static Mode detect() {
            if (Boolean.parseBoolean(Utils.getEnvOrSystemProperty("DJL_DISABLE_PROGRESS_BAR"))
                    || Boolean.getBoolean("disableProgressBar")) {
                return OFF;
            }
            return System.console() != null ? BAR : LINES;
        }
    }

    private final Mode mode;
    private final PrintStream terminal;
    private final Consumer<String> lines;
    private final LongSupplier nanoClock;
    private final char barChar;

    private String message = "";
    private String trailingMessage;
    private long max = 1;
    private long progress = -1;
    private int shownPercent = -1;
    private int loggedStep;
    private long passStartNanos;
    private long lastLineNanos;

    /** Creates a progress with a maximum of 1, in the mode {@link Mode#detect()} chooses; call {@code reset} first. */
    public ConsoleProgress() {
        this(Mode.detect(), System.out, logger::info, System::nanoTime);
    }

    /**
     * Creates a progress for a task of {@code max} units, in the mode {@link Mode#detect()} chooses.
     *
     * @param message what is progressing, e.g. "Training"
     * @param max the number of units (batches, samples) of the task
     */
    public ConsoleProgress(String message, long max) {
        this();
        reset(message, max);
    }

    /**
     * Creates a progress that writes where a test can read it.
     *
     * @param mode the mode, not detected
     * @param terminal where {@link Mode#BAR} draws
     * @param lines what receives each {@link Mode#LINES} line
     * @param nanoClock the time in nanoseconds, for the interval between lines and the time estimates
     */
    ConsoleProgress(Mode mode, PrintStream terminal, Consumer<String> lines, LongSupplier nanoClock) {
        this.mode = mode;
        this.terminal = terminal;
        this.lines = lines;
        this.nanoClock = nanoClock;
        this.barChar = barChar();
    }

    /**
     * Returns where this progress is shown.
     *
     * @return the mode
     */
    public Mode getMode() {
        return mode;
    }

    /** {@inheritDoc} */
    @Override
    public void reset(String message, long max, String trailingMessage) {
        this.message = message;
        this.max = max;
        this.trailingMessage = trailingMessage;
        progress = -1;
        shownPercent = -1;
    }

    /** {@inheritDoc} */
    @Override
    public void start(long initialProgress) {
        update(initialProgress);
    }

    /** {@inheritDoc} */
    @Override
    public void end() {
        update(max - 1);
    }

    /** {@inheritDoc} */
    @Override
    public void increment(long increment) {
        update(progress + increment);
    }

    /** {@inheritDoc} */
    @Override
    public void update(long progress, String additionalMessage) {
        if (mode == Mode.OFF || max <= 0) {
            return;
        }
        if (progress < this.progress || this.progress < 0) {
            startPass();
        }
        this.progress = progress;
        String status = additionalMessage != null ? additionalMessage : trailingMessage;
        int percent = (int) Math.min(100, Math.max(0, (progress + 1) * 100 / max));
        if (mode == Mode.BAR) {
            draw(percent, status);
        } else {
            logStep(percent, status);
        }
    }

    private void startPass() {
        passStartNanos = nanoClock.getAsLong();
        lastLineNanos = passStartNanos;
        shownPercent = -1;
        loggedStep = 0;
    }

    private void draw(int percent, String status) {
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        StringBuilder frame = new StringBuilder(100);
        frame.append('\r').append(message).append(':');
        frame.append(" ".repeat(Math.max(0, 12 - message.length())));
        frame.append(String.format("%3d", percent)).append("% |");
        for (int i = 0; i < BAR_LENGTH; i++) {
            frame.append(i <= percent * BAR_LENGTH / 100 ? barChar : ' ');
        }
        frame.append('|');
        if (status != null) {
            frame.append(' ').append(status);
        }
        // the last frame ends the line, so whatever is written next starts on a fresh one
        if (percent == 100) {
            terminal.println(frame);
        } else {
            terminal.print(frame);
        }
        terminal.flush();
    }

    private void logStep(int percent, String status) {
        int step = percent / STEP_PERCENT;
        if (step <= loggedStep) {
            return;
        }
        long now = nanoClock.getAsLong();
        // a step reached sooner than the interval is skipped, not queued: the next line shows where the task is then
        if (now - lastLineNanos < TimeUnit.SECONDS.toNanos(MIN_INTERVAL_SECONDS)) {
            return;
        }
        loggedStep = step;
        lastLineNanos = now;
        long elapsed = now - passStartNanos;
        long done = Math.min(progress + 1, max);
        StringBuilder line = new StringBuilder(120);
        line.append(message).append(": ").append(percent).append("% (").append(done).append('/').append(max);
        line.append("), ").append(duration(elapsed)).append(" elapsed");
        if (done < max) {
            line.append(", about ").append(duration(elapsed * (max - done) / done)).append(" left");
        }
        if (status != null && !status.isEmpty()) {
            line.append("; ").append(status);
        }
        lines.accept(line.toString());
    }

    /** Formats nanoseconds as "42 s", "3 min 05 s" or "2 h 07 min". */
    static String duration(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format("%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format("%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    /** DJL's choice: a block where the terminal speaks UTF-8, '=' elsewhere. */
    private static char barChar() {
        String os = System.getProperty("os.name", "");
        if (os.startsWith("Win")) {
            return '=';
        }
        if (os.startsWith("Linux")) {
            String lang = System.getenv("LANG");
            if (lang == null || !lang.contains("UTF-8")) {
                return '=';
            }
        }
        return '█';
    }
}
