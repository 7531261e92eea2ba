package org.pinlab.driver.rdma.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.driver.rdma.internal.FakeDeviceContext.buffer;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.Device;

/** On-demand paging: no pins, translations faulted in and dropped by the interval notifier. */
class OdpRegionTest {

    private static final long MS = 1_000_000;

    private static Device odp(FakeDeviceContext ctx, String writeFraction) {
        return new RdmaType().create(ctx, Map.of("odp", "true", "lifetime", "10ms", "lifetime-spread", "0",
                "registrations", "1", "write-fraction", writeFraction));
    }

    /** Steps until the last operation recorded starts with {@code prefix}. */
    private static String stepUntil(FakeDeviceContext ctx, Device nic, String prefix) {
        for (int i = 0; i < 10_000; i++) {
            ctx.step(nic);
            if (!ctx.ops.isEmpty() && ctx.ops.get(ctx.ops.size() - 1).startsWith(prefix)) {
                return ctx.ops.get(ctx.ops.size() - 1);
            }
        }
        throw new AssertionError("no " + prefix + " in " + ctx.ops);
    }

    @Test
    void odpPinsAndChargesNothingWatchesTheBufferAndFaultsOncePerPage() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffer("odp0", 4));
        ctx.memlockLimit = 0;
        Device nic = odp(ctx, "1");
        ctx.run(nic, 100 * MS, 100_000);
        assertFalse(ctx.step(nic));
        assertEquals("watch odp0", ctx.ops.get(0));
        assertTrue(ctx.opsStartingWith("pin").isEmpty());
        assertTrue(ctx.opsStartingWith("charge").isEmpty());
        List<String> faults = ctx.opsStartingWith("fault");
        assertTrue(faults.size() >= 1 && faults.size() <= 4, "one fault per page without invalidations: " + faults);
        assertTrue(ctx.opsStartingWith("write-frame").size() > 50, "about 100 writes in 10 ms");
        assertTrue(ctx.dmesg.isEmpty(), ctx.dmesg.toString());
    }

    @Test
    void aTranslationFaultedInIsNeverUsedAfterAnInvalidationThatRacedWithTheFault() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffer("odp0", 4));
        Device nic = odp(ctx, "1");
        String fault = stepUntil(ctx, nic, "fault");
        int page = Integer.parseInt(fault.split(" ")[2]);
        int stale = ctx.pfnOf(ctx.buffers.get(0), page);
        // between hmm_range_fault and the device's use: reclaim unmaps the page, it comes back elsewhere
        ctx.moved.put("odp0:" + page, 7777);
        assertEquals(List.of(), ctx.invalidate(nic, ctx.buffers.get(0), page, page + 1, true));
        ctx.step(nic);
        assertEquals("fault odp0 " + page + " write", ctx.ops.get(ctx.ops.size() - 1),
                "mmu_interval_read_retry: fault again");
        ctx.step(nic);
        assertEquals("write-frame 7777", ctx.ops.get(ctx.ops.size() - 1));
        assertFalse(ctx.ops.contains("write-frame " + stale), "the stale frame is never written");
    }

    @Test
    void anInvalidationOutsideTheWindowOrOfAnotherBufferDoesNotForceARetry() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffer("odp0", 4), buffer("odp1", 4));
        Device nic = odp(ctx, "1");
        String fault = stepUntil(ctx, nic, "fault odp0");
        int page = Integer.parseInt(fault.split(" ")[2]);
        ctx.invalidate(nic, ctx.buffers.get(1), page, page + 1, true);
        ctx.step(nic);
        assertEquals("write-frame " + ctx.pfnOf(ctx.buffers.get(0), page), ctx.ops.get(ctx.ops.size() - 1));
    }

    @Test
    void anInvalidationDropsTheTranslationAndDirtiesThePageTheNicWrote() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffer("odp0", 1));
        Device nic = odp(ctx, "1");
        stepUntil(ctx, nic, "write-frame");
        int pfn = ctx.pfnOf(ctx.buffers.get(0), 0);
        assertEquals(List.of(pfn), ctx.invalidate(nic, ctx.buffers.get(0), 0, 1, false));
        assertEquals(List.of(), ctx.invalidate(nic, ctx.buffers.get(0), 0, 1, false), "dirtied once");
        assertEquals("fault odp0 0 write", stepUntil(ctx, nic, "fault"), "the next access faults again");
    }

    @Test
    void anInvalidationOfPagesOnlyReadDirtiesNothing() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffer("odp0", 1));
        Device nic = odp(ctx, "0");
        assertEquals("fault odp0 0 read", stepUntil(ctx, nic, "fault"));
        ctx.run(nic, 5 * MS, 1_000);
        assertEquals(List.of(), ctx.invalidate(nic, ctx.buffers.get(0), 0, 1, true));
        assertTrue(ctx.opsStartingWith("write-frame").isEmpty());
    }

    @Test
    void aFaultInvalidatedOverAndOverIsDroppedWithALogLine() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, buffer("odp0", 1));
        Device nic = odp(ctx, "1");
        stepUntil(ctx, nic, "fault");
        for (int i = 0; i < OdpRegion.MAX_RETRIES + 1; i++) {
            ctx.invalidate(nic, ctx.buffers.get(0), 0, 1, true);
            ctx.step(nic);
        }
        assertEquals(OdpRegion.MAX_RETRIES + 1, ctx.opsStartingWith("fault").size());
        assertTrue(ctx.opsStartingWith("write-frame").isEmpty());
        assertTrue(ctx.dmesg.get(0).contains("invalidated " + OdpRegion.MAX_RETRIES + " times"), ctx.dmesg.toString());
    }
}
