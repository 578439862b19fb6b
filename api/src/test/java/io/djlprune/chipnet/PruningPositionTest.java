package io.djlprune.chipnet;

import java.io.IOException;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The run position the Pruner's parts share: step counts, the learned epoch length and the checkpoint's check. */
public class PruningPositionTest {

    @Test
    public void countsStepsAcrossEpochs() {
        PruningPosition position = new PruningPosition(3, 4);
        position.reset();
        position.startEpoch();
        for (int s = 0; s < 4; s++) {
            position.countStep();
        }
        Assert.assertEquals(position.stepsTaken(), 4);
        position.completeEpoch();
        position.startEpoch();
        position.countStep();
        Assert.assertEquals(position.epoch(), 1);
        Assert.assertEquals(position.stepInEpoch(), 1);
        Assert.assertEquals(position.stepsTaken(), 5);
        Assert.assertEquals(position.totalSteps(), 12);
    }

    @Test
    public void learnsTheLengthFromTheFirstEpochOnly() {
        PruningPosition position = new PruningPosition(3, 0);
        position.startEpoch();
        Assert.assertFalse(position.isLengthKnown());
        for (int s = 0; s < 5; s++) {
            position.countStep();
        }
        position.learnLength();
        Assert.assertEquals(position.stepsPerEpoch(), 5);
        position.completeEpoch();
        position.startEpoch();
        for (int s = 0; s < 7; s++) {
            position.countStep();
        }
        position.learnLength(); // a longer second epoch does not change the length
        Assert.assertEquals(position.stepsPerEpoch(), 5);
    }

    @Test
    public void anEpochLongerThanConfiguredHoldsItsLastScheduleStep() {
        PruningPosition position = new PruningPosition(2, 4);
        position.startEpoch();
        int[] expected = {1, 2, 3, 3, 3};
        for (int value : expected) {
            position.countStep();
            Assert.assertEquals(position.scheduleStep(), value);
        }
    }

    @Test
    public void restoringAnotherEpochLengthIsRefused() throws IOException {
        PruningPosition position = new PruningPosition(4, 6);
        IOException e = Assert.expectThrows(IOException.class, () -> position.restoreLength(5));
        Assert.assertTrue(e.getMessage().contains("5 steps but this run's have 6"), e.getMessage());
        position.restoreLength(6);
        position.restoreEpoch(2);
        Assert.assertEquals(position.epoch(), 2);

        PruningPosition learning = new PruningPosition(4, 0); // an unknown length takes the checkpoint's
        learning.restoreLength(5);
        Assert.assertEquals(learning.stepsPerEpoch(), 5);
    }
}
