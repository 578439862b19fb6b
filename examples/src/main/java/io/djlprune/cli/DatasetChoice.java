package io.djlprune.cli;

/** {@code --dataset}: where the images come from. */
enum DatasetChoice {
    /** Fashion-MNIST's four gzipped IDX files ({@code --data-dir}, the Debian package's folder by default). */
    FASHION_MNIST,
    /** A folder in torchvision's ImageFolder layout, {@code DIR/train/<class>/…} (docs/DATA.md). */
    IMAGEFOLDER;

    @Override
    public String toString() {
        return OptionConverters.key(this);
    }
}
