package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlprune.ndarray.OwnedArrays;

/**
 * The weights of linear interpolation on one axis of a grid: sample {@code i} gets the hat function that is 1 at
 * {@code grid[i]} and falls linearly to 0 at its neighbours; values outside the grid are clamped to its ends. The
 * product of the two axes' weights is bilinear interpolation. One formula, as doubles for an exact count and as
 * NDArrays for a soft one, so gradients flow to the soft count. The soft face's constants are engine-owned
 * ({@link OwnedArrays}), so the autograd graph may keep them.
 */
final class PiecewiseLinear {

    private PiecewiseLinear() {}

    /** The weights at x: at most two non-zero, summing to 1. */
    static double[] weights(double[] grid, double x) {
        double[] w = new double[grid.length];
        if (grid.length == 1) {
            w[0] = 1;
            return w;
        }
        double clamped = Math.min(Math.max(x, grid[0]), grid[grid.length - 1]);
        for (int i = 0; i < grid.length; i++) {
            w[i] = Math.min(Math.max(Math.min(rise(grid, i, clamped), fall(grid, i, clamped)), 0), 1);
        }
        return w;
    }

    /**
     * The weights at a soft scalar x, as a float64 vector of the grid's length: clip(min(rise, fall), 0, 1) with x
     * clipped to the grid, element-wise, so it is differentiable in x between samples.
     */
    static NDArray weights(double[] grid, NDArray x, NDManager manager) {
        if (grid.length == 1) {
            return manager.ones(new Shape(1), DataType.FLOAT64);
        }
        int n = grid.length;
        double[] left = new double[n];
        double[] right = new double[n];
        for (int i = 0; i < n; i++) {
            // The ends get a neighbour one unit beyond them: x is clipped to the grid, so their rise or fall is ≥ 1.
            left[i] = i == 0 ? grid[0] - 1 : grid[i - 1];
            right[i] = i == n - 1 ? grid[n - 1] + 1 : grid[i + 1];
        }
        NDArray g = OwnedArrays.owned(manager.create(grid));
        NDArray l = OwnedArrays.owned(manager.create(left));
        NDArray r = OwnedArrays.owned(manager.create(right));
        NDArray clamped = x.clip(grid[0], grid[n - 1]);
        NDArray rise = clamped.sub(l).div(g.sub(l));
        NDArray fall = r.sub(clamped).div(r.sub(g));
        return rise.minimum(fall).clip(0, 1);
    }

    private static double rise(double[] grid, int i, double x) {
        return i == 0 ? 1 : (x - grid[i - 1]) / (grid[i] - grid[i - 1]);
    }

    private static double fall(double[] grid, int i, double x) {
        return i == grid.length - 1 ? 1 : (grid[i + 1] - x) / (grid[i + 1] - grid[i]);
    }
}
