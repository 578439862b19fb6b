package io.djlprune.zoo.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * A list of labelled image files as a DJL dataset that decodes each image when its batch is read: only a batch's
 * images are ever in memory, and each sample's arrays belong to the manager of the batch that reads it (closed with
 * the batch). Samples are {@code (3, size, size)} float32 arrays made by a {@link FolderImageTransform}; labels are
 * float32 scalars, as DJL's softmax cross-entropy takes them.
 */
public final class ImageFolderDataset extends RandomAccessDataset {

    private final List<Path> files;
    private final int[] labels;
    private final FolderImageTransform transform;

    private ImageFolderDataset(Builder builder) {
        super(builder);
        this.files = builder.files;
        this.labels = builder.labels;
        this.transform = builder.transform;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public Record get(NDManager manager, long index) throws DataUnavailableException {
        int i = Math.toIntExact(index);
        float[] values = transform.apply(RgbImage.read(files.get(i)));
        int side = transform.size();
        NDList data = new NDList(manager.create(values, new Shape(3, side, side)));
        NDList label = new NDList(manager.create((float) labels[i]));
        return new Record(data, label);
    }

    /** {@inheritDoc} */
    @Override
    protected long availableSize() {
        return files.size();
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(Progress progress) {
        // nothing to load: images are decoded when read
    }

    /**
     * Returns the image file of a sample.
     *
     * @param index the sample index
     * @return the file
     */
    public Path file(int index) {
        return files.get(index);
    }

    /** Configures the dataset; sampling options come from DJL's {@code BaseBuilder}. */
    public static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {

        private List<Path> files;
        private int[] labels;
        private FolderImageTransform transform;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the samples.
         *
         * @param files the image files
         * @param labels the class index of each
         * @return this builder
         */
        public Builder setSamples(List<Path> files, int[] labels) {
            if (files.size() != labels.length) {
                throw new IllegalArgumentException(files.size() + " files but " + labels.length + " labels");
            }
            this.files = List.copyOf(files);
            this.labels = labels.clone();
            return this;
        }

        /**
         * Sets the transform from a decoded image to the network's input.
         *
         * @param transform the transform
         * @return this builder
         */
        public Builder setTransform(FolderImageTransform transform) {
            this.transform = transform;
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the dataset
         */
        public ImageFolderDataset build() {
            if (files == null || transform == null) {
                throw new IllegalStateException("setSamples and setTransform are required");
            }
            return new ImageFolderDataset(this);
        }
    }
}
