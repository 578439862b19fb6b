package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Finds the pooling windows along one spatial axis of a block that may be a windowed pooling.
 *
 * <p>Searching both axes at once would multiply the candidates of one axis by those of the other, so the axes are
 * separated: the input is constant along the other axis and positive. Then a max pool or an exclude-pad average pool
 * gives the same value in every output column (row), and an include-pad average pool gives its largest value in every
 * column whose window lies wholly inside the input, which the widened other axis guarantees. The maximum along the
 * other axis is therefore the one-axis pooling of one column, which is checked against each candidate computed by
 * DJL's {@code Pool} functions with a window of extent 1 along the other axis.
 */
final class PoolAxisProbe {

    /**
     * Channels of the probe inputs. The first four are designed so that any two different windows give different
     * outputs: along an increasing ramp a max pool returns each window's last element, along a decreasing ramp its
     * first, and the ramps with their squares give each window's sum of positions and of squared positions, which
     * fix its start and width for an average. The other four are random. Random channels alone are weak evidence here
     * (a window one element wider changes the maximum only if that element is the largest).
     */
    private static final int PROBE_CHANNELS = 8;

    private static final int DESIGNED_CHANNELS = 4;

    private final ProbeSession session;
    private final int axis;
    private final long base;
    private final long across;

    /**
     * Creates the search along {@code axis} of an NCHW input.
     *
     * @param session the block under probing
     * @param input the block's real input shape (N, C, H, W)
     * @param axis 2 for height, 3 for width
     */
    PoolAxisProbe(ProbeSession session, Shape input, int axis) {
        this.session = session;
        this.axis = axis;
        this.base = input.get(axis);
        // Wide enough that some window along the other axis lies inside the input, for any kernel and stride up to
        // the search bounds (other extent + 2).
        this.across = 2 * input.get(5 - axis) + 4;
    }

    /** The outcome: every variant and window that reproduces the block along this axis, and what was observed. */
    record Result(List<Match> matches, String observed) {}

    /** A reduction and a window that reproduce the block along the axis. */
    record Match(PoolVariant variant, PoolWindow window) {}

    /**
     * Probes the block at several extents along the axis and returns the windows that reproduce it exactly.
     *
     * @return the matches, empty if the block is not a windowed pooling along this axis
     */
    Result search() {
        long[] extents = extents();
        List<NDArray> columns = new ArrayList<>();
        List<NDArray> reduced = new ArrayList<>();
        long[] outputs = new long[extents.length];
        StringBuilder observed = new StringBuilder(axis == 2 ? "height " : "width ");
        for (int i = 0; i < extents.length; i++) {
            NDArray column = column(extents[i]);
            NDArray output = session.run(column.repeat(5 - axis, across));
            Shape shape = output.getShape();
            observed.append(i == 0 ? "" : ", ").append(extents[i]).append("→");
            if (shape.dimension() != 4 || shape.get(0) != 1 || shape.get(1) != PROBE_CHANNELS) {
                observed.append(shape);
                return new Result(List.of(), observed.toString());
            }
            outputs[i] = shape.get(axis);
            observed.append(outputs[i]);
            columns.add(column);
            reduced.add(output.max(new int[] {5 - axis}));
        }
        List<Match> matches = new ArrayList<>();
        int bound = Math.toIntExact(base + 2);
        for (PoolWindow window : PoolWindow.consistentWith(extents, outputs, bound, bound)) {
            for (PoolVariant variant : PoolVariant.values()) {
                if (reproduces(variant, window, columns, reduced)) {
                    matches.add(new Match(variant, window));
                }
            }
        }
        return new Result(matches, observed.toString());
    }

    private boolean reproduces(
            PoolVariant variant, PoolWindow window, List<NDArray> columns, List<NDArray> reduced) {
        for (int i = 0; i < columns.size(); i++) {
            UnaryOperator<NDArray> candidate =
                    column ->
                            variant.apply(
                                            column,
                                            along(window.kernel(), 1),
                                            along(window.stride(), 1),
                                            along(window.padding(), 0),
                                            window.ceilMode())
                                    .squeeze(5 - axis);
            if (!ProbeSupport.matches(reduced.get(i), candidate, columns.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the probed extents: the real one, the next three (every remainder modulo strides up to 4, which tells
     * floor from ceil mode) and two near twice the real one (strides up to the real extent).
     */
    private long[] extents() {
        Set<Long> extents = new LinkedHashSet<>();
        for (long e : new long[] {base, base + 1, base + 2, base + 3, 2 * base + 1, 2 * base + 2}) {
            extents.add(e);
        }
        return extents.stream().mapToLong(Long::longValue).toArray();
    }

    /** Creates the probe column: positive values (see the class comment), designed channels first. */
    private NDArray column(long extent) {
        int n = Math.toIntExact(extent);
        float[] values = new float[PROBE_CHANNELS * n];
        for (int h = 0; h < n; h++) {
            float up = h + 1f;
            float down = n - h;
            values[h] = up;
            values[n + h] = down;
            values[2 * n + h] = up * up / n;
            values[3 * n + h] = down * down / n;
        }
        for (int i = DESIGNED_CHANNELS * n; i < values.length; i++) {
            values[i] = 1f + session.random().nextFloat();
        }
        return session.manager().create(values, columnShape(extent));
    }

    private Shape columnShape(long extent) {
        return axis == 2 ? new Shape(1, PROBE_CHANNELS, extent, 1) : new Shape(1, PROBE_CHANNELS, 1, extent);
    }

    /** A 2-D window parameter with {@code value} along the probed axis and {@code other} along the other. */
    private Shape along(long value, long other) {
        return axis == 2 ? new Shape(value, other) : new Shape(other, value);
    }
}
