package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Random;

/**
 * One block under probing: runs it in inference mode on arrays the probes design, and turns every failure into an
 * {@link UnsupportedBlockException} that names the block's path and type.
 */
final class ProbeSession {

    /** Seed of the probe inputs; fixed so that a classification is reproducible. */
    private static final long SEED = 0x5EEDL;

    private final Block block;
    private final String path;
    private final NDManager manager;
    private final Random random = new Random(SEED);

    /**
     * Creates a session.
     *
     * @param block the block to probe
     * @param path its path in the tree
     * @param manager the manager owning every probe array; the caller closes it
     */
    ProbeSession(Block block, String path, NDManager manager) {
        this.block = block;
        this.path = path;
        this.manager = manager;
    }

    /** Returns the manager that owns every probe array. */
    NDManager manager() {
        return manager;
    }

    /** Returns the seeded generator of the probe's random values. */
    Random random() {
        return random;
    }

    /**
     * Runs the block on {@code input} in inference mode and returns its single output.
     *
     * @param input the input array
     * @return the output array
     * @throws UnsupportedBlockException if the block throws or does not return exactly one array
     */
    NDArray run(NDArray input) {
        NDList output;
        try {
            output = block.forward(new ParameterStore(manager, false), new NDList(input), false);
        } catch (RuntimeException e) {
            throw refuse("it failed when probed with an input of shape " + input.getShape(), e);
        }
        if (output.size() != 1) {
            throw refuse("it returned " + output.size() + " arrays for one input; djl-prune describes one-in, one-out"
                    + " blocks only");
        }
        return output.head();
    }

    /**
     * Creates the refusal for this block.
     *
     * @param reason what was observed
     * @return the exception, for the caller to throw
     */
    UnsupportedBlockException refuse(String reason) {
        return refuse(reason, null);
    }

    /**
     * Creates the refusal for this block, caused by {@code cause}.
     *
     * @param reason what was observed
     * @param cause the failure behind it
     * @return the exception, for the caller to throw
     */
    UnsupportedBlockException refuse(String reason, Throwable cause) {
        return new UnsupportedBlockException(path, block.getClass().getName(), reason, cause);
    }
}
