package io.djlprune.zoo.data;

import java.util.Random;

/**
 * A fixed, seeded split of {@code n} sample indices into a training part and a validation part, so that every run with
 * the same seed validates on exactly the same held-out images.
 *
 * @param train indices of the training part, in shuffled order
 * @param validation indices of the validation part, in shuffled order
 */
public record SplitIndices(int[] train, int[] validation) {

    /**
     * Shuffles {@code 0..n-1} with a seeded Fisher–Yates shuffle and cuts off the last {@code validationSize}.
     *
     * @param n the number of samples
     * @param validationSize how many to hold out; 0 ≤ validationSize &lt; n
     * @param seed the seed; the same seed always gives the same split
     * @return the split
     * @throws IllegalArgumentException if the sizes are impossible
     */
    public static SplitIndices of(int n, int validationSize, long seed) {
        if (validationSize < 0 || validationSize >= n) {
            throw new IllegalArgumentException(
                    "Validation size " + validationSize + " must be in [0, " + n + ") for " + n + " samples.");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] train = new int[n - validationSize];
        int[] validation = new int[validationSize];
        System.arraycopy(order, 0, train, 0, train.length);
        System.arraycopy(order, train.length, validation, 0, validationSize);
        return new SplitIndices(train, validation);
    }
}
