/**
 * Contains the layers djl-prune needs that DJL does not have, as plain DJL blocks: {@link io.djlprune.nn.AdaptiveAvgPool2d},
 * PyTorch's adaptive average pooling to a fixed map size (torchvision's VGG pools to 7×7 before its classifier).
 *
 * <p>It is the bottom of the dependency order, below {@link io.djlprune.ops}, whose built-in rules describe these
 * blocks so that the channel graph, the cost model, compaction and both exports understand them like DJL's own layers.
 */
package io.djlprune.nn;
