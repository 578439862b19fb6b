package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.nn.norm.BatchNorm;
import org.testng.annotations.Test;

/** Reading DJL's private configuration fails precisely when DJL changes a field, never with a default. */
public class PrivateFieldsTest {

    @Test
    public void existingFieldIsRead() {
        BatchNorm bn = BatchNorm.builder().optEpsilon(3e-4f).build();
        float epsilon = PrivateFields.read(bn, BatchNorm.class, "epsilon", float.class, "bn");
        assertEquals(epsilon, 3e-4f);
    }

    @Test
    public void missingFieldNamesTheClassTheFieldAndTheDjlVersion() {
        BatchNorm bn = BatchNorm.builder().build();
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> PrivateFields.read(bn, BatchNorm.class, "eps", float.class, "stage1/bn"));
        assertEquals(e.getPath(), "stage1/bn");
        assertTrue(e.getMessage().contains("has no field 'eps'"), e.getMessage());
        assertTrue(e.getMessage().contains("DJL 0.35.0"), e.getMessage());
        assertTrue(e.getCause() instanceof NoSuchFieldException);
    }

    @Test
    public void fieldOfAnotherTypeIsRefused() {
        BatchNorm bn = BatchNorm.builder().build();
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> PrivateFields.read(bn, BatchNorm.class, "epsilon", double.class, "bn"));
        assertTrue(e.getMessage().contains("declares 'epsilon' as float"), e.getMessage());
    }
}
