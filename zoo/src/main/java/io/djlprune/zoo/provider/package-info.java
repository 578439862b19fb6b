/**
 * Contains the DJL model-zoo face of {@link io.djlprune.zoo.model.ModelCatalog}:
 * {@link io.djlprune.zoo.provider.PruneModelZoo} (group id {@code io.djlprune}) has one model loader per catalog name,
 * and {@link io.djlprune.zoo.provider.PruneZooProvider}, registered in {@code META-INF/services}, lets DJL's
 * {@code Criteria} find it, so {@code criteria.loadModel()} builds a fresh, initialised network without a download.
 *
 * <p>It is apart from {@link io.djlprune.zoo.model} because it is only the adapter to DJL's repository machinery
 * (its in-memory repository and loader are package-private); the models are built without it, and it depends on them
 * and not the reverse.
 */
package io.djlprune.zoo.provider;
