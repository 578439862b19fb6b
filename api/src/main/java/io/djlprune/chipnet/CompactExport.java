package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The optional export when ChipNet training ends (see {@link Pruner.Builder#optExport}): the dense network, which
 * shares its weights with the gated one and now holds the best epoch's, is compacted under the best mask into a plain,
 * smaller block and handed to the exporter.
 */
final class CompactExport {

    private final GatedNetwork network;
    private final Compactor compactor;
    private final CompactModelExporter exporter;

    /**
     * Creates the export.
     *
     * @param network the gated network, whose dense block and graph are compacted
     * @param compactor the compactor
     * @param exporter where the compacted model goes
     */
    CompactExport(GatedNetwork network, Compactor compactor, CompactModelExporter exporter) {
        this.network = network;
        this.compactor = compactor;
        this.exporter = exporter;
    }

    /**
     * Compacts the network under a mask and exports it with its plan.
     *
     * @param manager the manager the compaction's temporary arrays are made under (freed before returning)
     * @param plan the plan recorded with the export
     * @param mask the mask to compact with
     * @throws UncheckedIOException if the exporter cannot write
     */
    void export(NDManager manager, MaskPlan plan, ChannelMask mask) {
        try (NDManager scope = manager.newSubManager()) {
            CompactionResult compact = compactor.compact(scope, network.getDenseBlock(), network.getGraph(), mask);
            exporter.export(compact, plan, network.getGraph().getInputShape());
        } catch (IOException e) {
            throw new UncheckedIOException("Exporting the pruned model failed", e);
        }
    }
}
