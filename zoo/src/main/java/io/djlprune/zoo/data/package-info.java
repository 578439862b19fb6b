/**
 * Contains the image datasets djl-prune's runs train and evaluate on, as DJL datasets.
 * {@link io.djlprune.zoo.data.FashionMnist} reads the four gzipped IDX files of a local directory
 * ({@link io.djlprune.zoo.data.IdxFile}) into the library's {@link io.djlprune.data.DataSplits}: training data, a
 * validation set held out of the training files by a seeded {@link io.djlprune.zoo.data.SplitIndices}, and the test
 * set, with DJL transforms that also fit grey images ({@link io.djlprune.zoo.data.ChannelNormalize},
 * {@link io.djlprune.zoo.data.RandomShiftFlip}). {@link io.djlprune.zoo.data.ImageFolderData} reads a folder in
 * torchvision's {@code ImageFolder} layout ({@link io.djlprune.zoo.data.ClassFolders}) into the same splits, decoding
 * each image when its batch is read ({@link io.djlprune.zoo.data.ImageFolderDataset}) with torchvision's transforms
 * reproduced bit for bit ({@link io.djlprune.zoo.data.FolderImageTransform}, {@link io.djlprune.zoo.data.PillowBilinear},
 * {@link io.djlprune.zoo.data.RgbImage}). {@link io.djlprune.zoo.data.SyntheticImages} makes a small learnable
 * dataset in memory for tests and examples, and a missing or corrupt file is a
 * {@link io.djlprune.zoo.data.DataUnavailableException} that says how to get it.
 *
 * <p>It is a package of its own, outside the library, because the library takes its data as splits and never reads
 * a file; this is where files are read. It exists at all because DJL's own Fashion-MNIST fetches through a DJL
 * repository, while the Debian package installs the bare files.
 */
package io.djlprune.zoo.data;
