package io.djlprune.chipnet;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;

/** The small learnable ChipNet problem of {@link PrunerTest}, for tests in other packages. */
public final class PrunerFixtures {

    /** The input shape of the chain. */
    public static final Shape INPUT = PrunerTest.INPUT;

    private PrunerFixtures() {}

    /**
     * Four random class prototypes of 12×12 pixels.
     *
     * @param seed the seed
     * @return the prototypes
     */
    public static float[][] prototypes(long seed) {
        return PrunerTest.prototypes(seed);
    }

    /**
     * Noisy samples of the prototypes, batch 32.
     *
     * @param manager the manager
     * @param size the samples
     * @param seed the seed of the noise
     * @param prototypes the prototypes
     * @param shuffle whether the sampler shuffles
     * @return the dataset
     */
    public static ArrayDataset data(NDManager manager, int size, long seed, float[][] prototypes, boolean shuffle) {
        return PrunerTest.data(manager, size, seed, prototypes, shuffle);
    }

    /**
     * The chain, initialised, gated and set as the model's block.
     *
     * @param manager the manager
     * @param model the model
     * @return the gated network
     */
    public static GatedNetwork gatedChain(NDManager manager, Model model) {
        return PrunerTest.gatedChain(manager, model);
    }
}
