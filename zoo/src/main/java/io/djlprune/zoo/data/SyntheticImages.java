package io.djlprune.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import io.djlprune.data.DataSplits;
import java.util.Random;

/**
 * A small, learnable image-classification dataset made in memory, for tests and examples that must not depend on
 * files: each class has a fixed random prototype image, and every sample is its class's prototype plus Gaussian noise.
 * The same seed always gives the same data.
 */
public final class SyntheticImages {

    private SyntheticImages() {}

    /**
     * Creates a builder: 10 classes, 1×28×28 images, 512/128/128 samples, noise 0.5, seed 7, batch 32.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures the synthetic data; setters follow DJL's {@code opt…} convention. */
    public static final class Builder {

        private int classes = 10;
        private Shape sampleShape = new Shape(1, 28, 28);
        private int trainSize = 512;
        private int validationSize = 128;
        private int testSize = 128;
        private float noise = 0.5f;
        private long seed = 7;
        private int batchSize = 32;

        Builder() {}

        /**
         * Sets the number of classes.
         *
         * @param classes at least 2
         * @return this builder
         */
        public Builder optClasses(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException("A classification dataset needs ≥ 2 classes, got " + classes);
            }
            this.classes = classes;
            return this;
        }

        /**
         * Sets the shape of one sample, channels first.
         *
         * @param sampleShape for example {@code (3, 32, 32)}
         * @return this builder
         */
        public Builder optSampleShape(Shape sampleShape) {
            if (sampleShape.dimension() != 3) {
                throw new IllegalArgumentException("Sample shape must be (C, H, W), got " + sampleShape);
            }
            this.sampleShape = sampleShape;
            return this;
        }

        /**
         * Sets the number of samples of each part.
         *
         * @param train training samples
         * @param validation validation samples
         * @param test test samples
         * @return this builder
         */
        public Builder optSizes(int train, int validation, int test) {
            if (train < 1 || validation < 1 || test < 1) {
                throw new IllegalArgumentException("Every part needs ≥ 1 sample");
            }
            this.trainSize = train;
            this.validationSize = validation;
            this.testSize = test;
            return this;
        }

        /**
         * Sets the standard deviation of the noise added to the prototypes (whose pixels are standard normal).
         *
         * @param noise ≥ 0; larger is harder
         * @return this builder
         */
        public Builder optNoise(float noise) {
            this.noise = noise;
            return this;
        }

        /**
         * Sets the seed.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the batch size of all parts.
         *
         * @param batchSize ≥ 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Makes the data; its arrays belong to {@code manager}.
         *
         * @param manager the owner of the arrays
         * @return the three parts
         */
        public DataSplits build(NDManager manager) {
            Random random = new Random(seed);
            int pixels = Math.toIntExact(sampleShape.size());
            float[][] prototypes = new float[classes][pixels];
            for (float[] prototype : prototypes) {
                for (int p = 0; p < pixels; p++) {
                    prototype[p] = (float) random.nextGaussian();
                }
            }
            return new DataSplits(
                    part(manager, random, prototypes, trainSize, true),
                    part(manager, random, prototypes, validationSize, false),
                    part(manager, random, prototypes, testSize, false),
                    sampleShape,
                    classes);
        }

        private ArrayDataset part(NDManager manager, Random random, float[][] prototypes, int size, boolean shuffle) {
            int pixels = prototypes[0].length;
            float[] data = new float[size * pixels];
            float[] labels = new float[size];
            for (int i = 0; i < size; i++) {
                int label = i % classes;
                labels[i] = label;
                for (int p = 0; p < pixels; p++) {
                    data[i * pixels + p] = prototypes[label][p] + noise * (float) random.nextGaussian();
                }
            }
            NDArray x = manager.create(data, new Shape(size).addAll(sampleShape));
            NDArray y = manager.create(labels);
            return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(batchSize, shuffle).build();
        }
    }
}
