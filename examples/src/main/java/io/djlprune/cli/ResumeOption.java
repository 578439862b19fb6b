package io.djlprune.cli;

import picocli.CommandLine.Option;

/** {@code --resume}, shared by the commands that train: continue an interrupted run from its last complete epoch. */
final class ResumeOption {

    @Option(
            names = "--resume",
            description = "Continue an interrupted run into the same --output, with the same options, from its last"
                    + " complete epoch (checkpoints are kept in .<output>.checkpoint/ until the run completes).")
    boolean resume;
}
