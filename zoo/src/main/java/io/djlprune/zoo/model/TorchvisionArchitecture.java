package io.djlprune.zoo.model;

import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * One torchvision network the zoo builds with torchvision's structure and names, and whose state_dict
 * {@code io.djlprune.zoo.torch.TorchvisionImport} loads.
 *
 * @param name the catalog name, e.g. {@code torchvision-vgg16-bn}
 * @param torchvisionModel the torchvision function that builds the same network, e.g. {@code vgg16_bn}
 * @param classifierWeight the state_dict tensor whose first dimension is the class count, e.g. {@code fc.weight}
 * @param minimumSize the smallest square input side the network takes
 * @param description one line for help texts
 * @param factory builds the network and its name table for a class count
 */
public record TorchvisionArchitecture(
        String name,
        String torchvisionModel,
        String classifierWeight,
        int minimumSize,
        String description,
        IntFunction<TorchvisionModel> factory) {

    private static final List<TorchvisionArchitecture> ALL = List.of(
            new TorchvisionArchitecture("torchvision-resnet18", "resnet18", "fc.weight", 1,
                    "torchvision's ResNet-18 (ImageNet stem), takes its state_dict",
                    c -> TorchvisionResNet.build(18, c)),
            new TorchvisionArchitecture("torchvision-resnet34", "resnet34", "fc.weight", 1,
                    "torchvision's ResNet-34 (ImageNet stem), takes its state_dict",
                    c -> TorchvisionResNet.build(34, c)),
            new TorchvisionArchitecture("torchvision-resnet50", "resnet50", "fc.weight", 1,
                    "torchvision's ResNet-50 v1.5 (ImageNet stem), takes its state_dict",
                    c -> TorchvisionResNet.build(50, c)),
            new TorchvisionArchitecture("torchvision-mobilenet-v2", "mobilenet_v2", "classifier.1.weight", 1,
                    "torchvision's MobileNetV2 (ImageNet strides, ReLU6, dropout 0.2), takes its state_dict",
                    TorchvisionMobileNetV2::build),
            new TorchvisionArchitecture("torchvision-vgg11-bn", "vgg11_bn", "classifier.6.weight",
                    TorchvisionVgg.MINIMUM_SIZE,
                    "torchvision's VGG-11 with BatchNorm (7×7 pooling, 4096-4096 classifier), takes its state_dict",
                    c -> TorchvisionVgg.build(11, c)),
            new TorchvisionArchitecture("torchvision-vgg16-bn", "vgg16_bn", "classifier.6.weight",
                    TorchvisionVgg.MINIMUM_SIZE,
                    "torchvision's VGG-16 with BatchNorm (7×7 pooling, 4096-4096 classifier), takes its state_dict",
                    c -> TorchvisionVgg.build(16, c)));

    /**
     * Returns every architecture, in catalog order.
     *
     * @return the architectures
     */
    public static List<TorchvisionArchitecture> all() {
        return ALL;
    }

    /**
     * Looks an architecture up by catalog name.
     *
     * @param name the catalog name
     * @return the architecture, or empty if none has that name
     */
    public static Optional<TorchvisionArchitecture> find(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
