package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Identifies pooling blocks: DJL's global pooling ({@code (N, C, H, W) → (N, C)}) and windowed 2-D max or average
 * pooling, whose kernel, stride, padding, ceil mode and padding count are inferred from output sizes at several input
 * sizes and then verified numerically against DJL's own {@link Pool} functions on random input of the real shape.
 */
final class PoolProbe {

    private final ProbeSession session;
    private final Shape input;

    /**
     * Creates the probe.
     *
     * @param session the block under probing
     * @param input its probing input shape (N, C, H, W)
     */
    PoolProbe(ProbeSession session, Shape input) {
        this.session = session;
        this.input = input;
    }

    /**
     * Checks for a global pooling: the output must be {@code (N, C)} at the real and at larger spatial sizes (which
     * tells it from a window that happens to cover the real map) and equal DJL's global max or average pool.
     *
     * @return the {@link GlobalPoolOp}, or the observation that rules it out
     */
    ProbeResult global() {
        List<NDArray> xs = new ArrayList<>();
        List<NDArray> ys = new ArrayList<>();
        for (Shape shape : spatialVariants()) {
            NDArray x = ProbeSupport.symmetric(session.manager(), session.random(), shape, 2f);
            NDArray y = session.run(x);
            if (!ProbeSupport.sameShape(y.getShape(), shape.slice(0, 2))) {
                return ProbeResult.notFound("maps " + shape + " to " + y.getShape() + ", not to (N, C)");
            }
            xs.add(x);
            ys.add(y);
        }
        if (allMatch(xs, ys, Pool::globalMaxPool2d)) {
            return ProbeResult.found(new GlobalPoolOp(PoolKind.MAX));
        }
        if (allMatch(xs, ys, Pool::globalAvgPool2d)) {
            return ProbeResult.found(new GlobalPoolOp(PoolKind.AVG));
        }
        return ProbeResult.notFound(
                "reduces each channel to one value, but neither as global max nor as global average pooling");
    }

    /**
     * Checks for a windowed max or average pooling.
     *
     * @return the {@link Pool2dOp}, or the observation that rules it out
     */
    ProbeResult windowed() {
        PoolAxisProbe.Result rows = new PoolAxisProbe(session, input, 2).search();
        PoolAxisProbe.Result columns = new PoolAxisProbe(session, input, 3).search();
        String sizes = "output sizes for input sizes " + rows.observed() + "; " + columns.observed();
        if (rows.matches().isEmpty() || columns.matches().isEmpty()) {
            return ProbeResult.notFound(
                    sizes + ": no max or average pooling with kernel and stride up to the input size + 2 and"
                            + " padding up to half the kernel reproduces them");
        }
        List<Pool2dOp> verified = new ArrayList<>();
        for (PoolAxisProbe.Match row : rows.matches()) {
            for (PoolAxisProbe.Match column : columns.matches()) {
                if (row.variant() == column.variant()
                        && row.window().ceilMode() == column.window().ceilMode()
                        && verifies(row, column)) {
                    verified.add(toOp(row, column));
                }
            }
        }
        List<Pool2dOp> distinct = withoutEquivalents(verified);
        if (distinct.size() == 1) {
            return ProbeResult.found(distinct.get(0));
        }
        if (distinct.isEmpty()) {
            return ProbeResult.notFound(
                    sizes + ": each axis alone looks like pooling, but no single 2-D max or average pooling"
                            + " reproduces the block on random input");
        }
        return ProbeResult.notFound(sizes + ": several different poolings reproduce it: " + distinct);
    }

    /** Verifies a combined candidate at the real shape and at one larger shape, on signed random input. */
    private boolean verifies(PoolAxisProbe.Match row, PoolAxisProbe.Match column) {
        PoolWindow h = row.window();
        PoolWindow w = column.window();
        Shape kernel = new Shape(h.kernel(), w.kernel());
        Shape stride = new Shape(h.stride(), w.stride());
        Shape padding = new Shape(h.padding(), w.padding());
        for (Shape shape : List.of(input, grown(input, 1, 2))) {
            NDArray x = ProbeSupport.symmetric(session.manager(), session.random(), shape, 2f);
            UnaryOperator<NDArray> candidate = in -> row.variant().apply(in, kernel, stride, padding, h.ceilMode());
            if (!ProbeSupport.matches(session.run(x), candidate, x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Removes candidates that compute the same as another candidate for every input, keeping the conventional
     * spelling: without padding, counting the padding in an average changes nothing, so include-pad is kept (DJL's
     * default); a 1×1 window averages and maximises the same single element, so max is kept; if ceil mode never
     * changes an output size for any input size, floor mode is kept.
     */
    private static List<Pool2dOp> withoutEquivalents(List<Pool2dOp> candidates) {
        List<Pool2dOp> kept = new ArrayList<>();
        for (Pool2dOp op : candidates) {
            boolean unpadded = op.padding()[0] == 0 && op.padding()[1] == 0;
            Pool2dOp includePadTwin =
                    new Pool2dOp(op.kind(), op.kernel(), op.stride(), op.padding(), op.ceilMode(), true);
            if (!op.countIncludePad() && unpadded && candidates.contains(includePadTwin)) {
                continue;
            }
            boolean singleElement = op.kernel()[0] == 1 && op.kernel()[1] == 1;
            Pool2dOp maxTwin = new Pool2dOp(PoolKind.MAX, op.kernel(), op.stride(), op.padding(), op.ceilMode(), true);
            if (op.kind() == PoolKind.AVG && singleElement && candidates.contains(maxTwin)) {
                continue;
            }
            Pool2dOp floorTwin =
                    new Pool2dOp(op.kind(), op.kernel(), op.stride(), op.padding(), false, op.countIncludePad());
            if (op.ceilMode() && candidates.contains(floorTwin) && ceilNeverMatters(op)) {
                continue;
            }
            kept.add(op);
        }
        return kept;
    }

    private static boolean ceilNeverMatters(Pool2dOp op) {
        for (int axis = 0; axis < 2; axis++) {
            PoolWindow ceil = new PoolWindow(op.kernel()[axis], op.stride()[axis], op.padding()[axis], true);
            PoolWindow floor = new PoolWindow(op.kernel()[axis], op.stride()[axis], op.padding()[axis], false);
            if (!ceil.sameSizesEverywhere(floor)) {
                return false;
            }
        }
        return true;
    }

    private static Pool2dOp toOp(PoolAxisProbe.Match row, PoolAxisProbe.Match column) {
        PoolWindow h = row.window();
        PoolWindow w = column.window();
        return new Pool2dOp(
                row.variant().kind(),
                new int[] {h.kernel(), w.kernel()},
                new int[] {h.stride(), w.stride()},
                new int[] {h.padding(), w.padding()},
                h.ceilMode(),
                row.variant().countIncludePad());
    }

    private List<Shape> spatialVariants() {
        return List.of(input, grown(input, 3, 2), grown(input, input.get(2) + 1, input.get(3) + 3));
    }

    private static Shape grown(Shape shape, long height, long width) {
        return new Shape(shape.get(0), shape.get(1), shape.get(2) + height, shape.get(3) + width);
    }

    private static boolean allMatch(List<NDArray> xs, List<NDArray> ys, UnaryOperator<NDArray> candidate) {
        for (int i = 0; i < xs.size(); i++) {
            if (!ProbeSupport.matches(ys.get(i), candidate, xs.get(i))) {
                return false;
            }
        }
        return true;
    }
}
