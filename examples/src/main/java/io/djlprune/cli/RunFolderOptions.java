package io.djlprune.cli;

import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a finished {@code prune} run is: its folder (dense weights) and plan. */
final class RunFolderOptions {

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Output folder of 'djl-prune prune'.")
    Path runDir;

    @Option(names = "--plan", paramLabel = "FILE", description = "Mask plan to apply (default: DIR/plan.json).")
    Path plan;

    /**
     * Loads the plan.
     *
     * @return the plan
     * @throws IOException if it is missing or corrupt, naming the file
     */
    MaskPlan loadPlan() throws IOException {
        return MaskPlanJson.load(plan != null ? plan : runDir.resolve(PruneCommand.PLAN_FILE));
    }
}
