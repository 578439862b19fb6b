package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;

import org.testng.annotations.Test;

/** Ops with array components are values: equal contents mean equal ops, and callers cannot mutate them. */
public class OpValueTest {

    private static Conv2dOp conv(int[] kernel) {
        return new Conv2dOp(3, 8, kernel, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true);
    }

    @Test
    public void convolutionsWithEqualArraysAreEqual() {
        assertEquals(conv(new int[] {3, 3}), conv(new int[] {3, 3}));
        assertEquals(conv(new int[] {3, 3}).hashCode(), conv(new int[] {3, 3}).hashCode());
        assertNotEquals(conv(new int[] {3, 3}), conv(new int[] {3, 1}));
    }

    @Test
    public void convolutionIsNotChangedThroughItsArrays() {
        int[] kernel = {3, 3};
        Conv2dOp op = conv(kernel);
        kernel[0] = 5;
        op.kernel()[1] = 7;
        assertEquals(op.kernel(), new int[] {3, 3});
    }

    @Test
    public void poolsWithEqualArraysAreEqualAndPrintTheirContents() {
        Pool2dOp a = new Pool2dOp(PoolKind.MAX, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false, true);
        Pool2dOp b = new Pool2dOp(PoolKind.MAX, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false, true);
        assertEquals(a, b);
        assertEquals(a.toString(), "Pool2dOp[kind=MAX, kernel=[2, 2], stride=[2, 2], padding=[0, 0], ceilMode=false,"
                + " countIncludePad=true]");
    }

    @Test
    public void joinWithoutPostActivationEqualsTheTwoArgumentForm() {
        assertEquals(JoinOp.concat(1), new JoinOp(JoinOp.Kind.CONCAT, 1));
        assertEquals(JoinOp.add().postActivation().isPresent(), false);
    }
}
