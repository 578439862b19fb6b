package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The models djl-prune can build by name (the {@code --model} option of the CLI), each for any class count and for
 * 1×28×28 or 3×32×32 inputs, except torchvision's VGGs, whose five unpadded max-pools need at least 32×32
 * ({@link Entry#minimumSize()}). The {@code torchvision-…} entries are the {@link TorchvisionArchitecture}s, with
 * random initialisation.
 */
public final class ModelCatalog {

    /** The input side every model takes at least: 1×28×28 and 3×32×32 images. */
    private static final int DEFAULT_MINIMUM_SIZE = 28;

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        register("lenet300", "LeNet-300-100, fully connected, 267k parameters", LeNet300::build);
        register("lenet5", "LeNet-5 (20-50-800-500), 431k parameters", LeNet5::build);
        register("vgg11", "VGG-11 with BatchNorm, CIFAR form (global pooling, one classifier)", c -> Vgg.build(11, c));
        register("vgg16", "VGG-16 with BatchNorm, CIFAR form (global pooling, one classifier)", c -> Vgg.build(16, c));
        register("resnet20", "CIFAR-style ResNet-20, 16-32-64 filters", c -> CifarResNet.build(20, c));
        register("resnet56", "CIFAR-style ResNet-56, 16-32-64 filters", c -> CifarResNet.build(56, c));
        register("resnet110", "CIFAR-style ResNet-110, 16-32-64 filters", c -> CifarResNet.build(110, c));
        register("preresnet164", "Pre-activation bottleneck ResNet-164, 64-128-256 outputs",
                c -> PreResNet.build(164, c));
        register("wrn16-4", "Wide ResNet-16-4, pre-activation, 64-128-256 filters", c -> WideResNet.build(2, 4, c));
        register("wrn26-12", "Wide ResNet-26-12 (ChipNet's), pre-activation, 192-384-768 filters",
                c -> WideResNet.build(4, 12, c));
        register("mobilenetv2", "MobileNetV2, CIFAR strides, ReLU6, identity shortcuts", CifarMobileNetV2::build);
        register("djl-resnet18", "DJL model zoo ResNetV1-18 as DJL builds it", c -> DjlResNet.build(18, c));
        register("djl-resnet50", "DJL model zoo ResNetV1-50 as DJL builds it", c -> DjlResNet.build(50, c));
        register("djl-mobilenetv2", "DJL model zoo MobileNetV2 as DJL builds it", DjlMobileNetV2::build);
        for (TorchvisionArchitecture architecture : TorchvisionArchitecture.all()) {
            MODELS.put(architecture.name(), new Entry(architecture.name(), architecture.description(),
                    c -> architecture.factory().apply(c).block(), Math.max(DEFAULT_MINIMUM_SIZE,
                            architecture.minimumSize())));
        }
    }

    private ModelCatalog() {}

    private static void register(String name, String description, IntFunction<Block> factory) {
        MODELS.put(name, new Entry(name, description, factory, DEFAULT_MINIMUM_SIZE));
    }

    /**
     * Builds the named model.
     *
     * @param name a name from {@link #names()}
     * @param classes the number of classes
     * @return an uninitialised block
     * @throws IllegalArgumentException if no model has that name; the message lists the known names
     */
    public static Block build(String name, int classes) {
        return get(name).factory().apply(classes);
    }

    /**
     * Looks up a catalog entry.
     *
     * @param name the model name
     * @return the entry
     * @throws IllegalArgumentException if no model has that name; the message lists the known names
     */
    public static Entry get(String name) {
        Entry entry = MODELS.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(
                    "Unknown model '" + name + "'; known models: " + String.join(", ", MODELS.keySet()) + ".");
        }
        return entry;
    }

    /**
     * Returns the names of every model, in catalog order.
     *
     * @return the names
     */
    public static Iterable<String> names() {
        return Collections.unmodifiableSet(MODELS.keySet());
    }

    /**
     * One model of the catalog.
     *
     * @param name its name
     * @param description one line for help texts
     * @param factory builds it for a class count
     * @param minimumSize the smallest square input side it takes (28, or 32 for torchvision's VGGs)
     */
    public record Entry(String name, String description, IntFunction<Block> factory, int minimumSize) {

        /**
         * Checks that a sample's height and width are at least {@link #minimumSize()}, so a too-small input is refused
         * by name before LibTorch fails deep inside a pooling layer.
         *
         * @param sampleShape one sample's shape, channels first: (C, H, W)
         * @throws IllegalArgumentException naming the model, its minimum and the size given
         */
        public void checkInput(Shape sampleShape) {
            int rank = sampleShape.dimension();
            if (rank >= 2 && Math.min(sampleShape.get(rank - 2), sampleShape.get(rank - 1)) < minimumSize) {
                throw new IllegalArgumentException(
                        "'" + name + "' takes inputs of at least " + minimumSize + "×" + minimumSize + " (its pooling"
                                + " halves smaller ones to nothing), got " + sampleShape + ": use a larger image size");
            }
        }
    }
}
