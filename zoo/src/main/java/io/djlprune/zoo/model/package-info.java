/**
 * Contains the networks of the pruning literature as plain DJL blocks: {@link io.djlprune.zoo.model.LeNet300},
 * {@link io.djlprune.zoo.model.LeNet5}, {@link io.djlprune.zoo.model.Vgg}, {@link io.djlprune.zoo.model.CifarResNet},
 * {@link io.djlprune.zoo.model.PreResNet}, {@link io.djlprune.zoo.model.WideResNet} and
 * {@link io.djlprune.zoo.model.CifarMobileNetV2}, and DJL's own ResNetV1 and MobileNetV2 exactly as its basic model
 * zoo builds them ({@link io.djlprune.zoo.model.DjlResNet}, {@link io.djlprune.zoo.model.DjlMobileNetV2}), to show
 * that djl-prune prunes networks it did not write, and torchvision's ResNet-18, -34 and -50 with torchvision's
 * parameter names ({@link io.djlprune.zoo.model.TorchvisionResNet}), which take weights trained with PyTorch.
 * {@link io.djlprune.zoo.model.ModelCatalog} builds any of them by name for any class count and for 1×28×28 or
 * 3×32×32 inputs.
 *
 * <p>The models are a package of their own because they are what the library is tried on, not part of it: the
 * library prunes any block its classifier can describe, and this package uses no djl-prune package.
 */
package io.djlprune.zoo.model;
