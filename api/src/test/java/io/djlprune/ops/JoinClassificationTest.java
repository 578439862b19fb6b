package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import io.djlprune.ops.ActivationOp.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.testng.annotations.Test;

/** ParallelBlock join functions are recognised by calling them on designed branch outputs. */
public class JoinClassificationTest {

    private static final Shape MAP = new Shape(2, 4, 3, 3);

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    private static ParallelBlock parallel(Function<List<NDList>, NDList> join, int branches) {
        ParallelBlock block = new ParallelBlock(join);
        for (int i = 0; i < branches; i++) {
            block.add(Blocks.identityBlock());
        }
        return block;
    }

    private static NDArray sum(List<NDList> list) {
        NDArray sum = list.get(0).singletonOrThrow();
        for (NDList branch : list.subList(1, list.size())) {
            sum = sum.add(branch.singletonOrThrow());
        }
        return sum;
    }

    @Test
    public void residualAddIsAdd() {
        ParallelBlock block = parallel(list -> new NDList(sum(list)), 2);
        assertEquals(classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "res"), JoinOp.add());
    }

    @Test
    public void threeWaySumIsAdd() {
        ParallelBlock block = parallel(list -> new NDList(sum(list)), 3);
        assertEquals(classifier.classifyJoin(block, new Shape[] {MAP, MAP, MAP}, "res"), JoinOp.add());
    }

    @Test
    public void resNetV1StyleSumThenReluIsAddWithPostRelu() {
        // DJL's ResNetV1.residualUnit joins with unit.add(shortcut).getNDArrayInternal().relu().
        ParallelBlock block =
                parallel(
                        list ->
                                new NDList(
                                        list.get(0)
                                                .singletonOrThrow()
                                                .add(list.get(1).singletonOrThrow())
                                                .getNDArrayInternal()
                                                .relu()),
                        2);
        JoinOp op = classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "stage1/unit0");
        assertEquals(op, JoinOp.add().withPost(new ActivationOp(Kind.RELU, 0f)));
        assertEquals(op.postActivation().orElseThrow().kind(), Kind.RELU);
    }

    @Test
    public void sumThenSigmoidKeepsTheConstantAtZeroVisible() {
        ParallelBlock block = parallel(list -> new NDList(Activation.sigmoid(sum(list))), 2);
        JoinOp op = classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "gate");
        assertEquals(op.postActivation().orElseThrow().valueAtZero(), 0.5, 0.0);
    }

    @Test
    public void sumThenLeakyReluKeepsItsAlpha() {
        ParallelBlock block = parallel(list -> new NDList(Activation.leakyRelu(sum(list), 0.2f)), 2);
        JoinOp op = classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "res");
        assertEquals(op, JoinOp.add().withPost(new ActivationOp(Kind.LEAKY_RELU, 0.2f)));
    }

    @Test
    public void channelConcatenationOfUnequalBranchesIsConcatOnAxisOne() {
        ParallelBlock block =
                parallel(
                        list -> new NDList(NDArrays.concat(new NDList(list.stream().map(NDList::head).toList()), 1)),
                        2);
        Shape[] shapes = {new Shape(2, 3, 5, 5), new Shape(2, 6, 5, 5)};
        assertEquals(classifier.classifyJoin(block, shapes, "inception"), JoinOp.concat(1));
    }

    @Test
    public void concatenationAlongWidthIsConcatOnAxisThree() {
        ParallelBlock block =
                parallel(
                        list -> new NDList(NDArrays.concat(new NDList(list.stream().map(NDList::head).toList()), 3)),
                        2);
        assertEquals(classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "wide"), JoinOp.concat(3));
    }

    @Test
    public void elementWiseProductIsRefused() {
        ParallelBlock block =
                parallel(list -> new NDList(list.get(0).head().mul(list.get(1).head())), 2);
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "attention/gate"));
        assertEquals(e.getPath(), "attention/gate");
        assertTrue(e.getMessage().contains("neither a sum nor a concatenation"), e.getMessage());
    }

    @Test
    public void weightedSumIsRefused() {
        ParallelBlock block =
                parallel(list -> new NDList(list.get(0).head().add(list.get(1).head().mul(0.5f))), 2);
        expectThrows(
                UnsupportedBlockException.class,
                () -> classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "res"));
    }

    @Test
    public void joinReturningEveryBranchIsRefused() {
        ParallelBlock block =
                parallel(
                        list -> {
                            NDList all = new NDList();
                            list.forEach(all::addAll);
                            return all;
                        },
                        2);
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "multi"));
        assertTrue(e.getMessage().contains("returned 2 arrays"), e.getMessage());
    }

    @Test
    public void shapeCountMustMatchTheBranches() {
        ParallelBlock block = parallel(list -> new NDList(sum(list)), 2);
        expectThrows(
                IllegalArgumentException.class,
                () -> classifier.classifyJoin(block, new Shape[] {MAP}, "res"));
    }

    @Test
    public void subclassOfParallelBlockIsRefused() {
        ParallelBlock block = new ParallelBlock(list -> new NDList(sum(list))) {};
        block.addAll(Arrays.asList(Blocks.identityBlock(), Blocks.identityBlock()));
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifier.classifyJoin(block, new Shape[] {MAP, MAP}, "custom"));
        assertEquals(e.getPath(), "custom");
    }
}
