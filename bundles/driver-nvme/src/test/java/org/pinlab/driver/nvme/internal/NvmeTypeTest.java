package org.pinlab.driver.nvme.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.device.testing.FakeBuffer;
import org.pinlab.api.device.testing.FakeDeviceContext;

class NvmeTypeTest {

    private final DeviceType type = new NvmeType();
    private final FakeDeviceContext ctx = NvmeDeviceTest.host(1, FakeBuffer.file("dio0", 64));

    private IllegalArgumentException rejected(Map<String, String> params) {
        return assertThrows(IllegalArgumentException.class, () -> type.create(ctx, params));
    }

    @Test
    void theTypeIsNamedNvmeAndNamesItsKernelPathsInOneParagraph() {
        assertEquals("nvme", type.name());
        for (String f : List.of("iomap_dio_rw", "bio_iov_iter_get_pages", "pin_user_pages_fast", "nvme_queue_rq",
                "blk_mq_complete_request", "bio_release_pages", "ext4_writepage")) {
            assertTrue(type.description().contains(f), f + " missing from: " + type.description());
        }
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void everyDefaultParsesAndGivesA128KibRandomMixAtQueueDepthFour() {
        NvmeWorkload w = NvmeWorkload.of(Parameters.parse("device nvme", type.parameters(), Map.of()));
        assertEquals(new NvmeWorkload(32, 4, 0.7, 10_000, 0, 0, 0, false), w);
        assertEquals(List.of("bio-pages", "queue-depth", "read-fraction", "gap", "ios", "read-latency",
                "write-latency", "pattern"), type.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void givenValuesAreParsedWithTheirUnits() {
        NvmeWorkload w = NvmeWorkload.of(Parameters.parse("device nvme", type.parameters(), Map.of("bio-pages", "8",
                "queue-depth", "64", "read-fraction", "1", "gap", "2us", "ios", "100", "read-latency", "1ms",
                "write-latency", "15us", "pattern", "sequential")));
        assertEquals(new NvmeWorkload(8, 64, 1.0, 2_000, 100, 1_000_000, 15_000, true), w);
    }

    @Test
    void anUnknownParameterIsRejectedWithTheNearestValidName() {
        IllegalArgumentException e = rejected(Map.of("queue-dept", "8"));
        assertTrue(e.getMessage().contains("unknown parameter 'queue-dept' (did you mean 'queue-depth'?)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("bio-pages, queue-depth, read-fraction"), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRejectedWithWhatWasExpected() {
        IllegalArgumentException e = rejected(Map.of("bio-pages", "0"));
        assertTrue(e.getMessage().contains("'bio-pages' is '0'; expected an integer from 1 to 256"), e.getMessage());
        e = rejected(Map.of("queue-depth", "1025"));
        assertTrue(e.getMessage().contains("'queue-depth' is '1025'; expected an integer from 1 to 1024"),
                e.getMessage());
        e = rejected(Map.of("read-fraction", "1.5"));
        assertTrue(e.getMessage().contains("expected a number from 0 to 1"), e.getMessage());
        e = rejected(Map.of("gap", "10"));
        assertTrue(e.getMessage().contains("'gap' is '10'; expected a duration from 0ns to 1s"), e.getMessage());
        e = rejected(Map.of("read-latency", "2s"));
        assertTrue(e.getMessage().contains("'read-latency' is '2s'"), e.getMessage());
        e = rejected(Map.of("pattern", "zipf"));
        assertTrue(e.getMessage().contains("expected one of random, sequential"), e.getMessage());
    }

    @Test
    void aGoodParameterDoesNotExcuseABadOne() {
        IllegalArgumentException e = rejected(Map.of("bio-pages", "16", "ios", "-1"));
        assertTrue(e.getMessage().contains("'ios' is '-1'"), e.getMessage());
    }

    @Test
    void aDeviceWithoutBuffersIsRefused() {
        FakeDeviceContext none = NvmeDeviceTest.host(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.create(none, Map.of()));
        assertTrue(e.getMessage().contains("needs at least one buffer"), e.getMessage());
    }

    @Test
    void eachAttachmentGetsItsOwnDevice() {
        assertNotSame(type.create(ctx, Map.of()), type.create(ctx, Map.of()));
    }
}
