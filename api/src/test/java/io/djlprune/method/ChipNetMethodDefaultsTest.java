package io.djlprune.method;

import io.djlprune.chipnet.ChipNetPreset;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The settings a DJL application gets from {@link ChipNetMethod#builder()} and from the reference preset. */
public class ChipNetMethodDefaultsTest {

    @Test
    public void defaultRecipeSamplesItsGatesAndWeighsTheBudgetAt300() {
        String method = ChipNetMethod.builder().build().toString();
        Assert.assertTrue(method.contains("default recipe"), method);
        Assert.assertTrue(method.contains("budget weight 300.0"), method);
        Assert.assertTrue(method.contains("sampled gates"), method);
    }

    @Test
    public void referenceRecipeScalesItsGatesAndWeighsTheBudgetAt30() {
        String method = ChipNetMethod.builder(ChipNetPreset.REFERENCE).build().toString();
        Assert.assertTrue(method.contains("reference recipe"), method);
        Assert.assertTrue(method.contains("budget weight " + ChipNetMethod.REFERENCE_BUDGET_WEIGHT), method);
        Assert.assertFalse(method.contains("sampled"), method);
    }

    @Test
    public void explicitSettingsOverrideThePreset() {
        String method =
                ChipNetMethod.builder().optSampledGates(false).optBudgetWeight(30f).build().toString();
        Assert.assertTrue(method.contains("budget weight 30.0"), method);
        Assert.assertFalse(method.contains("sampled"), method);
        String sampledReference =
                ChipNetMethod.builder(ChipNetPreset.REFERENCE).optSampledGates(true).build().toString();
        Assert.assertTrue(sampledReference.contains("sampled gates"), sampledReference);
    }
}
