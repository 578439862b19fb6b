package io.djlprune.method;

import ai.djl.nn.Block;
import io.djlprune.chipnet.PruningEpoch;
import io.djlprune.mask.MaskPlan;
import java.util.List;

/**
 * What a {@link PruningMethod} hands on to compaction: the budget-exact plan, the dense network with that mask applied
 * (to measure what the mask alone keeps), and, for a method that learns its mask, one record per epoch.
 *
 * @param plan the plan
 * @param masked the network with the plan's hard mask applied
 * @param history one record per learning epoch; empty for scoring methods
 */
public record MethodResult(MaskPlan plan, Block masked, List<PruningEpoch> history) {}
