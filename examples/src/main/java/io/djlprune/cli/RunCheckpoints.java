package io.djlprune.cli;

import ai.djl.Model;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.checkpoint.ResumePoint;
import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a command's run keeps what it needs to resume after a kill: a hidden folder beside the output,
 * {@code .<output>.checkpoint/}, with the dense model once pretrained ({@code pretrained/}) and the last complete
 * epoch of each training phase ({@code training/} for ChipNet's pruning, {@code regularized/}, {@code finetune/},
 * {@code dense/}). It is deleted when the run's output is committed. A run that finds one without {@code --resume}
 * refuses to start (the user would lose the epochs in it) unless {@code --overwrite} is given.
 */
final class RunCheckpoints {

    /** The phase of dense training ({@code train}); the library's phases are named in {@link PhaseCheckpoints}. */
    static final String TRAINING = "dense";

    /** Options that may differ between a run and its resume: they do not change what is computed. */
    private static final Set<String> FREE_OPTIONS = Set.of("--resume", "--overwrite", "--device", "--help", "--version");

    private final Path folder;
    private final boolean resume;
    private final Map<String, String> settings;

    private RunCheckpoints(Path folder, boolean resume, Map<String, String> settings) {
        this.folder = folder;
        this.resume = resume;
        this.settings = settings;
    }

    /**
     * Finds the checkpoint folder of an output and applies the resume policy.
     *
     * @param spec the command, for its options and usage errors
     * @param output the run's output folder
     * @param resume whether {@code --resume} was given
     * @param overwrite whether {@code --overwrite} was given (an old checkpoint is then deleted)
     * @return the checkpoints of this run
     * @throws CommandLine.ParameterException if a checkpoint exists and neither option was given
     * @throws IOException if an old checkpoint cannot be read or deleted
     */
    static RunCheckpoints of(CommandSpec spec, Path output, boolean resume, boolean overwrite) throws IOException {
        return of(spec, settings(spec), output, resume, overwrite);
    }

    /**
     * Finds the checkpoint folder of an output and applies the resume policy, for a run whose settings are not all
     * of its command's options (a sweep's cell).
     *
     * @param spec the command, for usage errors
     * @param settings every setting that decides what the run computes (option → value), which a resume must repeat
     * @param output the run's output folder
     * @param resume whether the run resumes
     * @param overwrite whether an old checkpoint may be deleted
     * @return the checkpoints of this run
     * @throws CommandLine.ParameterException if a checkpoint exists and neither option was given, or it was written
     *     with other settings
     * @throws IOException if an old checkpoint cannot be read or deleted
     */
    static RunCheckpoints of(
            CommandSpec spec, Map<String, String> settings, Path output, boolean resume, boolean overwrite)
            throws IOException {
        Path absolute = output.toAbsolutePath().normalize();
        Path folder = absolute.resolveSibling("." + absolute.getFileName() + ".checkpoint");
        if (Files.isDirectory(folder) && !resume) {
            if (!overwrite) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "An interrupted run of " + absolute + " left a checkpoint in " + folder
                                + ": add --resume to continue it, or --overwrite to start over (deletes it)");
            }
            AtomicFiles.deleteTree(folder);
        }
        if (resume) {
            requireSameSettings(spec, settings, folder);
            deleteKilledStaging(absolute);
        }
        return new RunCheckpoints(folder, resume, Map.copyOf(settings));
    }

    /**
     * Deletes the staging folders ({@code .<output>.partial-*}) that killed runs of this output left behind: a SIGKILL
     * gives the run no chance to remove its own. Resuming says this output has one run at a time.
     */
    private static void deleteKilledStaging(Path output) throws IOException {
        String prefix = "." + output.getFileName() + ".partial-";
        Path parent = output.getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path stale : entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                AtomicFiles.deleteTree(stale);
            }
        }
    }

    /** Refuses, as a bad command line, to resume any phase that was checkpointed with other options. */
    private static void requireSameSettings(CommandSpec spec, Map<String, String> settings, Path folder)
            throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> phases = Files.list(folder)) {
            for (Path phase : phases.filter(Files::isDirectory).toList()) {
                ResumePoint point = ResumePoint.read(phase);
                if (point == null) {
                    continue;
                }
                try {
                    point.requireSettings(settings);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
        }
    }

    /**
     * Returns a training phase of the run, checkpointed in its own subfolder.
     *
     * @param name the phase's subfolder: {@link #TRAINING} or a phase named in {@link PhaseCheckpoints}
     * @param seed the run's seed
     * @return the phase
     */
    PhaseCheckpoint phase(String name, long seed) {
        return new PhaseCheckpoint(folder.resolve(name), settings, seed, resume);
    }

    /**
     * Returns every training phase of the run, each checkpointed in its own subfolder, for the library's job.
     *
     * @param seed the run's seed
     * @return the phases
     */
    PhaseCheckpoints phases(long seed) {
        return name -> phase(name, seed);
    }

    /**
     * Returns the folder of a pretrained dense model saved by an earlier attempt of this run, if there is one and
     * the run resumes.
     *
     * @return the folder, or null
     */
    Path pretrained() {
        Path saved = folder.resolve("pretrained");
        return resume && Files.isDirectory(saved) ? saved : null;
    }

    /**
     * Saves the pretrained dense model, so a resumed run does not pretrain again.
     *
     * @param dense the trained model
     * @throws IOException if it cannot be written
     */
    void savePretrained(Model dense) throws IOException {
        AtomicFiles.writeFolder(folder.resolve("pretrained"), partial -> dense.save(partial, dense.getName()));
    }

    /** Deletes the checkpoints once the run's output is in place. */
    void delete() throws IOException {
        AtomicFiles.deleteTree(folder);
    }

    /**
     * Returns every option of the command that decides what the run computes, by its longest name, as text.
     *
     * @param spec the command
     * @return option → value
     */
    static Map<String, String> settings(CommandSpec spec) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (FREE_OPTIONS.contains(option.longestName())) {
                continue;
            }
            Object value = option.getValue();
            settings.put(option.longestName(), value == null ? "" : String.valueOf(value));
        }
        return settings;
    }

}
