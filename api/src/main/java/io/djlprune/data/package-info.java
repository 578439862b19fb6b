/**
 * Contains {@link io.djlprune.data.DataSplits}, the three disjoint parts of an image-classification dataset that a
 * pruning run uses: training data, a validation set held out of the training files for model selection, and the test
 * set, used once at the end (absent, and reported as absent, when a dataset has none), with the class names when the
 * dataset names its classes.
 *
 * <p>It is a package of its own in api, apart from the datasets in {@code io.djlprune.zoo.data} that produce the
 * splits, because the library's training phases (a resumable phase's {@link io.djlprune.checkpoint.PhaseCheckpoint},
 * the pruning pipeline) take the splits without knowing where the images come from; it depends on no other
 * djl-prune package.
 */
package io.djlprune.data;
