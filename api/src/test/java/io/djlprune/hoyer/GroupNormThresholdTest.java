package io.djlprune.hoyer;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDManager;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import org.testng.annotations.Test;

/** The structured threshold: channels below it go, a group never empties, fixed groups stay, bad input is refused. */
public class GroupNormThresholdTest {

    @Test
    public void removesChannelsBelowTheThresholdAndKeepsTheBestOfAnEmptiedGroup() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            float[][] scores = new float[graph.groups().size()][];
            scores[1] = new float[] {0.5f, 0.001f, 0.2f};
            scores[2] = new float[] {0.01f, 0.03f, 0.02f, 0.005f}; // every channel below
            scores[3] = new float[] {0.1f, 0.1f, 0.09f, 0.3f, 0.1f};
            ChannelMask mask = new GroupNormThreshold(0.1f).select(graph, scores);
            assertEquals(mask.keptIndices(1), new int[] {0, 2});
            assertEquals(mask.keptIndices(2), new int[] {1}, "the best channel keeps the network connected");
            assertEquals(mask.keptIndices(3), new int[] {0, 1, 3, 4}, "a score equal to the threshold is kept");
            assertEquals(mask.keptCount(0), graph.group(0).size(), "the network input is fixed");
            assertEquals(mask.keptCount(4), graph.group(4).size(), "the class outputs are fixed");
        }
    }

    @Test
    public void refusesNegativeThresholdsAndScoresThatDoNotFit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            IllegalArgumentException e =
                    expectThrows(IllegalArgumentException.class, () -> new GroupNormThreshold(-0.5f));
            assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
            GroupNormThreshold rule = new GroupNormThreshold(0.1f);
            float[][] wrongSize = new float[graph.groups().size()][];
            wrongSize[1] = new float[2];
            wrongSize[2] = new float[4];
            wrongSize[3] = new float[5];
            e = expectThrows(IllegalArgumentException.class, () -> rule.select(graph, wrongSize));
            assertTrue(e.getMessage().contains("Group 1 has 3 channels but 2 scores"), e.getMessage());
            wrongSize[1] = new float[] {1, Float.NaN, 1};
            e = expectThrows(IllegalArgumentException.class, () -> rule.select(graph, wrongSize));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
            expectThrows(IllegalArgumentException.class, () -> rule.select(graph, new float[2][]));
        }
    }
}
