package io.djlprune.zoo.model;

import ai.djl.basicmodelzoo.cv.classification.MobileNetV2;
import ai.djl.nn.Block;

/**
 * DJL's own {@link MobileNetV2} exactly as {@code ai.djl.basicmodelzoo} builds it with its defaults (the paper's
 * stages with a 1×1 stride-2 stem, ReLU activations, a 1×1 convolution as the classifier between two reshapes); only
 * the class count is chosen here. It runs on 28×28 and 32×32 inputs alike because it ends in global pooling.
 */
public final class DjlMobileNetV2 {

    private DjlMobileNetV2() {}

    /**
     * Builds DJL's MobileNetV2.
     *
     * @param classes the number of classes
     * @return an uninitialised block
     */
    public static Block build(int classes) {
        return MobileNetV2.builder().setOutSize(classes).build();
    }
}
