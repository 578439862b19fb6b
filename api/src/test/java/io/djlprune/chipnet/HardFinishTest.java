package io.djlprune.chipnet;

import org.testng.Assert;
import org.testng.annotations.Test;

/** When the hard finish begins: its timing depends on the run's position alone. */
public class HardFinishTest {

    @Test
    public void theFinishIsTheLastShareOfTheStepsRoundedDown() {
        Assert.assertEquals(HardFinish.firstFixedStep(32, 0.5), 16);
        Assert.assertEquals(HardFinish.firstFixedStep(24, 0.4), 15); // 9.6 steps of finish: 9
        Assert.assertEquals(HardFinish.firstFixedStep(24, 0.0), 24);
        Assert.assertEquals(HardFinish.firstFixedStep(10, 0.05), 10); // less than a step: none
    }

    @Test
    public void itBeginsAfterTheStepBeforeItsFirstStep() {
        // 4 epochs of 6 steps, 0.4: the mask is fixed after the 15th step, the 3rd of the 3rd epoch
        int[] due = firstDue(0.4, 6);
        Assert.assertEquals(due, new int[] {2, 3});
        // 4 epochs of 8 steps, 0.5: after the 16th step, at the end of the 2nd epoch's last step
        Assert.assertEquals(firstDue(0.5, 8), new int[] {1, 8});
    }

    @Test
    public void withoutAShareOrAnEpochLengthItDoesNotBegin() {
        Assert.assertNull(firstDue(0.0, 6));
        PruningPosition learning = new PruningPosition(4, 0);
        HardFinish finish = new HardFinish(null, null, learning, 0.5);
        learning.startEpoch();
        for (int s = 0; s < 20; s++) {
            learning.countStep();
            Assert.assertFalse(finish.isDue(), "step " + s + " of an epoch of unknown length");
        }
    }

    /** The epoch (0-based) and step count of the first batch hook at which the finish is due, or null. */
    private static int[] firstDue(double fraction, int stepsPerEpoch) {
        PruningPosition position = new PruningPosition(4, stepsPerEpoch);
        // the timing needs neither the network nor the selection, which only begin() uses
        HardFinish finish = new HardFinish(null, null, position, fraction);
        position.reset();
        position.startEpoch();
        for (int e = 0; e < 4; e++) {
            for (int s = 0; s < stepsPerEpoch; s++) {
                position.countStep();
                if (finish.isDue()) {
                    return new int[] {position.epoch(), position.stepInEpoch()};
                }
            }
            position.learnLength();
            position.completeEpoch();
            position.startEpoch();
        }
        return null;
    }
}
