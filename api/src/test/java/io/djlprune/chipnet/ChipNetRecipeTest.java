package io.djlprune.chipnet;

import org.testng.Assert;
import org.testng.annotations.Test;

/** ψ's learning rate: the reference's by default, scaled up for runs shorter than the reference, or as set. */
public class ChipNetRecipeTest {

    @Test
    public void psiTrainsAtTheWeightsRateUnlessTold() {
        Assert.assertEquals(new ChipNetRecipe().getPsiLearningRate(), 1e-3f);
        Assert.assertEquals(new ChipNetRecipe().optLearningRate(5e-4f).getPsiLearningRate(), 5e-4f);
    }

    @Test
    public void shortRunsGiveThePsiTheReferenceTravel() {
        // 280 steps (LeNet-5, 18,000 images at batch 128, 2 epochs): ψ may move as far as in 28,125 steps at 1e-3
        float rate = new ChipNetRecipe().optPsiLearningRateForSteps(280).getPsiLearningRate();
        Assert.assertEquals(rate * 280, 1e-3f * ChipNetRecipe.REFERENCE_STEPS, 1e-3f);
        // the scaling follows a learning rate set afterwards
        float doubled = new ChipNetRecipe().optPsiLearningRateForSteps(280).optLearningRate(2e-3f).getPsiLearningRate();
        Assert.assertEquals(doubled, 2 * rate, 1e-6f);
        // a run as long as the reference, or longer, keeps the reference rate
        Assert.assertEquals(
                new ChipNetRecipe().optPsiLearningRateForSteps(ChipNetRecipe.REFERENCE_STEPS).getPsiLearningRate(),
                1e-3f);
        Assert.assertEquals(new ChipNetRecipe().optPsiLearningRateForSteps(100_000).getPsiLearningRate(), 1e-3f);
    }

    @Test
    public void aRateSetExplicitlyWins() {
        ChipNetRecipe recipe = new ChipNetRecipe().optPsiLearningRateForSteps(280).optPsiLearningRate(0.01f);
        Assert.assertEquals(recipe.getPsiLearningRate(), 0.01f);
    }

    @Test
    public void badValuesAreRefused() {
        Assert.expectThrows(IllegalArgumentException.class, () -> new ChipNetRecipe().optPsiLearningRateForSteps(0));
        Assert.expectThrows(IllegalArgumentException.class, () -> new ChipNetRecipe().optPsiLearningRate(-1f));
        Assert.expectThrows(IllegalArgumentException.class, () -> new ChipNetRecipe().optPsiLearningRate(Float.NaN));
    }
}
