package io.djlprune.compact;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;

/**
 * The leak corrections to apply while slicing, per original block and indexed by the block's original output
 * channels: shifts added to consumers' biases and shifts subtracted from BatchNorms' running means.
 *
 * @param biasShifts consumer block → shift per output channel (identity map)
 * @param meanShifts BatchNorm block → shift per channel (identity map)
 * @param folds what was folded where, for the report
 */
record FoldPlan(Map<Block, double[]> biasShifts, Map<Block, double[]> meanShifts, List<LeakFold> folds) {}
