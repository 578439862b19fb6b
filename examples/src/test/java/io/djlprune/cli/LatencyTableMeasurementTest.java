package io.djlprune.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.cost.LatencyCalibration;
import io.djlprune.cost.LatencyTable;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.latency.LatencyTables;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * A latency table measured through LibTorch on a zoo network: every layer sample and the whole network at several
 * widths (each compacted, written as TorchScript and loaded) are timed, and the table predicts the networks it was
 * calibrated on as they measured. Only structure is asserted; the times themselves are the machine's.
 */
public class LatencyTableMeasurementTest {

    @Test
    public void aMeasuredTablePredictsItsCalibrationNetworks() throws IOException {
        Shape input = new Shape(1, 1, 28, 28);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelCatalog.build("lenet5", 10);
            block.initialize(manager, DataType.FLOAT32, input);
            ChannelGraph graph =
                    ChannelGraph.builder().setInputShape(input).setClassifier(CompactModels.CLASSIFIER).build(block);
            LatencyTable table =
                    LatencyTables.builder().setDevice(manager.getDevice()).setClassifier(CompactModels.CLASSIFIER)
                            .optBatchSize(2).optGridStep(4).optRepeats(1, 3).build().build(graph, block);
            LatencyCalibration calibration = table.getCalibration();
            // six networks were timed (LeNet-5's groups of 20, 50 and 500 channels at one channel, 1/8, 1/4, 1/2,
            // 3/4 and all, rounded up to 4); noise may pool some of them, never below two points
            Assert.assertTrue(calibration.layerSums().length >= 2, calibration.toString());
            Assert.assertTrue(table.getDenseMillis() > 0);
            Assert.assertEquals(table.getLayers().size(), 4, "conv1, conv2, fc1, fc2");
            ChannelMask full = ChannelMask.full(graph);
            boolean[][] one = new boolean[graph.groups().size()][];
            for (ChannelGroup group : graph.groups()) {
                one[group.id()] = new boolean[group.size()];
                java.util.Arrays.fill(one[group.id()], 0, group.prunable() ? 1 : group.size(), true);
            }
            ChannelMask minimal = ChannelMask.of(graph, one);
            for (ChannelMask mask : new ChannelMask[] {full, minimal}) {
                double predicted = table.predictMillis(graph, mask::keptCount);
                Assert.assertTrue(predicted >= 0 && Double.isFinite(predicted), mask + ": " + predicted);
            }
        }
    }
}
