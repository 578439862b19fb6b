package io.djlprune.method;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.listener.TrainingListener;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.cost.Budget;
import io.djlprune.cost.CostModel;
import io.djlprune.cost.LatencyTable;
import io.djlprune.data.DataSplits;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.mask.MaskSelector;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link PruningMethod} works on: the trained dense model and its channel graph, the data, the budget and the
 * selector that turns scores or gates into a budget-exact mask, the training recipe, and where the run keeps its
 * checkpoints and its best plan so far.
 *
 * @param modelName the model's name, recorded in the plan
 * @param dense the trained dense model; a method may train its block further
 * @param graph the dense block's channel graph
 * @param data the training, validation and test data
 * @param batchSize the batch size the data was built with
 * @param budget the budget
 * @param selector the mask selector
 * @param manager the manager of the run's arrays (the device of the run)
 * @param recipe how long and how fast to train
 * @param seed the run's seed (random scores, data order)
 * @param planFile where a learning method writes its best plan after every epoch, or null
 * @param checkpoints the run's checkpoints
 * @param listeners more training listeners for every training phase
 * @param latency the latency table of the dense network on the target device, or null; a latency budget needs one
 */
public record PruningContext(
        String modelName,
        Model dense,
        ChannelGraph graph,
        DataSplits data,
        int batchSize,
        Budget budget,
        MaskSelector selector,
        NDManager manager,
        PruningRecipe recipe,
        long seed,
        Path planFile,
        PhaseCheckpoints checkpoints,
        List<TrainingListener> listeners,
        LatencyTable latency) {

    /**
     * Returns the cost model every method counts the budget with: the graph's, with the latency table if there is one.
     *
     * @return a new cost model
     * @throws IllegalArgumentException if the latency table was measured for another graph
     */
    public CostModel cost() {
        return new CostModel(graph, latency);
    }

    /**
     * Returns the device the run trains on.
     *
     * @return the device of the run's manager
     */
    public Device device() {
        return manager.getDevice();
    }

    /**
     * Returns the name of the engine that holds the model, for the models a method creates beside it.
     *
     * @return the engine name
     */
    public String engineName() {
        return dense.getNDManager().getEngine().getEngineName();
    }

    /**
     * Returns the optimiser steps of one training epoch.
     *
     * @return ⌈training examples / batch size⌉
     */
    public int stepsPerEpoch() {
        return Math.toIntExact((data.train().size() + batchSize - 1) / batchSize);
    }

    /**
     * Returns the extra listeners as an array, for DJL's configs.
     *
     * @return the listeners
     */
    public TrainingListener[] listenerArray() {
        return listeners.toArray(new TrainingListener[0]);
    }
}
