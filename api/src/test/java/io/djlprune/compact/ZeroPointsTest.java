package io.djlprune.compact;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.gate.Gate;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The gated semantics' zero points are exactly the places where GatedNetwork puts its gates. */
public class ZeroPointsTest {

    @DataProvider
    public Object[][] models() {
        return new Object[][] {
            {"lenet5", (Function<NamedOpClassifier, Block>) c -> TestModels.lenet5(), new Shape(1, 1, 28, 28)},
            {"vgg", (Function<NamedOpClassifier, Block>) c -> TestModels.vggChain(), new Shape(1, 3, 16, 16)},
            {"residual", (Function<NamedOpClassifier, Block>) TestModels::residual, new Shape(1, 3, 16, 16)},
            {"concat", (Function<NamedOpClassifier, Block>) CompactFixtures::concat, new Shape(1, 3, 8, 8)},
            {"depthwise-bias", (Function<NamedOpClassifier, Block>) CompactFixtures::depthwiseBiasLeak,
                new Shape(1, 3, 8, 8)},
        };
    }

    @Test(dataProvider = "models")
    public void gatedZeroPointsAreTheGateSites(String name, Function<NamedOpClassifier, Block> model, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = model.apply(classifier);
            ChannelGraph graph = CompactFixtures.prepare(dense, input, classifier, manager, 1);
            Set<Block> gated = Collections.newSetFromMap(new IdentityHashMap<>());
            collectGatedLeaves(GatedNetwork.of(dense, graph).getBlock(), gated);
            Assert.assertFalse(gated.isEmpty(), name);
            ZeroPoints zeros = ZeroPoints.of(graph, MaskSemantics.GATED);
            for (LayerNode node : graph.layers()) {
                Assert.assertEquals(
                        !zeros.after(node.block()).isEmpty(), gated.contains(node.block()), name + " " + node.path());
            }
        }
    }

    /** GatedNetwork wraps each gated leaf as SequentialBlock(leaf, gate), or a BatchNorm as GatedBatchNorm(bn, gate). */
    private static void collectGatedLeaves(Block block, Set<Block> gated) {
        List<Block> children = block.getChildren().values();
        if (children.size() == 2 && children.get(1) instanceof Gate) {
            gated.add(children.get(0));
        }
        for (Block child : children) {
            collectGatedLeaves(child, gated);
        }
    }
}
