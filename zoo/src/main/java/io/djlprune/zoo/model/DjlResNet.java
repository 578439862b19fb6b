package io.djlprune.zoo.model;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * DJL's own {@link ResNetV1} exactly as {@code ai.djl.basicmodelzoo} builds it, so that djl-prune is shown to prune a
 * network it did not write. Only the image shape handed to DJL's builder and the class count are chosen here.
 *
 * <p>DJL's builder picks its architecture from the image height: up to 28 rows it builds its three-stage CIFAR family
 * (basic units for depth 6n+2 below 164, bottlenecks for 9n+2 from 164), so it refuses 18 layers and turns 50 into a
 * 16-32-64 CIFAR network; up to 32 rows it builds the four-stage ImageNet family with a 3×3 stem and no max-pool;
 * above that the 7×7 stem with a max-pool. This class always asks for the 32-row variant, whose block ends in global
 * pooling and so runs on 28×28 inputs as well. Note that DJL 0.35 builds its 18- and
 * 34-layer networks from bottleneck units (filters 64-128-256-512, inner width a quarter of that); that is DJL's
 * choice and is kept.
 */
public final class DjlResNet {

    /** The image shape given to DJL's builder: selects the small-image stem of the four-stage family. */
    private static final Shape BUILDER_IMAGE = new Shape(3, 32, 32);

    private DjlResNet() {}

    /**
     * Builds DJL's ResNetV1.
     *
     * @param layers 18, 34, 50, 101, 152, 200 or 269 (DJL refuses other depths)
     * @param classes the number of classes
     * @return an uninitialised block
     */
    public static Block build(int layers, int classes) {
        return ResNetV1.builder().setImageShape(BUILDER_IMAGE).setNumLayers(layers).setOutSize(classes).build();
    }
}
