package io.djlprune.mask;

import org.testng.Assert;
import org.testng.annotations.Test;

/** The command-line names of the channel orders: every order has one, and an unknown name is refused by name. */
public class ChannelOrderTest {

    @Test
    public void everyKeyParsesBackToItsOrder() {
        for (ChannelOrder order : ChannelOrder.values()) {
            Assert.assertEquals(ChannelOrder.parse(order.key()), order);
            Assert.assertEquals(ChannelOrder.parse(" " + order.key().toUpperCase() + " "), order);
        }
    }

    @Test
    public void unknownKeyIsRefusedWithTheAcceptedOnes() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> ChannelOrder.parse("random"));
        Assert.assertTrue(e.getMessage().contains("'random'"), e.getMessage());
        for (ChannelOrder order : ChannelOrder.values()) {
            Assert.assertTrue(e.getMessage().contains(order.key()), e.getMessage());
        }
        Assert.expectThrows(IllegalArgumentException.class, () -> ChannelOrder.parse(null));
    }
}
