package org.pinlab.driver.rdma.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.device.testing.FakeBuffer.file;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.device.testing.Event;
import org.pinlab.api.device.testing.Event.Charge;
import org.pinlab.api.device.testing.Event.Fault;
import org.pinlab.api.device.testing.Event.Pin;
import org.pinlab.api.device.testing.Event.WriteFrame;
import org.pinlab.api.device.testing.FakeDeviceContext;

/** On-demand paging: no pins, translations faulted in and dropped by the interval notifier. */
class OdpRegionTest {

    private static final long MS = 1_000_000;

    private static Device odp(FakeDeviceContext ctx, String writeFraction) {
        return new RdmaType().create(ctx, Map.of("odp", "true", "lifetime", "10ms", "lifetime-spread", "0",
                "registrations", "1", "write-fraction", writeFraction));
    }

    /** The line of the last event recorded, or "" before the first. */
    private static String last(FakeDeviceContext ctx) {
        List<Event> events = ctx.events();
        return events.isEmpty() ? "" : events.get(events.size() - 1).line();
    }

    /** Steps until the last event recorded starts with {@code prefix}. */
    private static String stepUntil(FakeDeviceContext ctx, Device nic, String prefix) {
        for (int i = 0; i < 10_000; i++) {
            ctx.step(nic);
            if (last(ctx).startsWith(prefix)) {
                return last(ctx);
            }
        }
        throw new AssertionError("no " + prefix + " in " + ctx.events());
    }

    @Test
    void odpPinsAndChargesNothingWatchesTheBufferAndFaultsOncePerPage() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("odp0", 4)).withMemlockLimit(0);
        Device nic = odp(ctx, "1");
        ctx.run(nic, 100 * MS, 100_000);
        assertFalse(ctx.step(nic));
        assertEquals("watch odp0", ctx.events().get(0).line());
        assertTrue(ctx.events(Pin.class).isEmpty());
        assertTrue(ctx.events(Charge.class).isEmpty());
        List<String> faults = ctx.lines(Fault.class);
        assertTrue(faults.size() >= 1 && faults.size() <= 4, "one fault per page without invalidations: " + faults);
        assertTrue(ctx.events(WriteFrame.class).size() > 50, "about 100 writes in 10 ms");
        assertTrue(ctx.dmesg().isEmpty(), ctx.dmesg().toString());
    }

    @Test
    void aTranslationFaultedInIsNeverUsedAfterAnInvalidationThatRacedWithTheFault() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("odp0", 4));
        Device nic = odp(ctx, "1");
        String fault = stepUntil(ctx, nic, "fault");
        int page = Integer.parseInt(fault.split(" ")[2]);
        UserBuffer odp0 = ctx.buffers().get(0);
        int stale = ctx.pfnOf(odp0, page);
        // between hmm_range_fault and the device's use: reclaim unmaps the page, it comes back elsewhere
        ctx.moveFrame(odp0, page, 7777);
        assertEquals(List.of(), ctx.invalidate(nic, odp0, page, page + 1, true));
        ctx.step(nic);
        assertEquals("fault odp0 " + page + " write", last(ctx), "mmu_interval_read_retry: fault again");
        ctx.step(nic);
        assertEquals("write-frame 7777", last(ctx));
        assertFalse(ctx.lines(WriteFrame.class).contains("write-frame " + stale), "the stale frame is never written");
    }

    @Test
    void anInvalidationOutsideTheWindowOrOfAnotherBufferDoesNotForceARetry() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("odp0", 4), file("odp1", 4));
        Device nic = odp(ctx, "1");
        String fault = stepUntil(ctx, nic, "fault odp0");
        int page = Integer.parseInt(fault.split(" ")[2]);
        ctx.invalidate(nic, ctx.buffers().get(1), page, page + 1, true);
        ctx.step(nic);
        assertEquals("write-frame " + ctx.pfnOf(ctx.buffers().get(0), page), last(ctx));
    }

    @Test
    void anInvalidationDropsTheTranslationAndDirtiesThePageTheNicWrote() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("odp0", 1));
        Device nic = odp(ctx, "1");
        stepUntil(ctx, nic, "write-frame");
        UserBuffer odp0 = ctx.buffers().get(0);
        int pfn = ctx.pfnOf(odp0, 0);
        assertEquals(List.of(pfn), ctx.invalidate(nic, odp0, 0, 1, false));
        assertEquals(List.of(), ctx.invalidate(nic, odp0, 0, 1, false), "dirtied once");
        assertEquals("fault odp0 0 write", stepUntil(ctx, nic, "fault"), "the next access faults again");
    }

    @Test
    void anInvalidationOfPagesOnlyReadDirtiesNothing() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("odp0", 1));
        Device nic = odp(ctx, "0");
        assertEquals("fault odp0 0 read", stepUntil(ctx, nic, "fault"));
        ctx.run(nic, 5 * MS, 1_000);
        assertEquals(List.of(), ctx.invalidate(nic, ctx.buffers().get(0), 0, 1, true));
        assertTrue(ctx.events(WriteFrame.class).isEmpty());
    }

    @Test
    void aFaultInvalidatedOverAndOverIsDroppedWithALogLine() {
        FakeDeviceContext ctx = new FakeDeviceContext(1, file("odp0", 1));
        Device nic = odp(ctx, "1");
        stepUntil(ctx, nic, "fault");
        for (int i = 0; i < OdpRegion.MAX_RETRIES + 1; i++) {
            ctx.invalidate(nic, ctx.buffers().get(0), 0, 1, true);
            ctx.step(nic);
        }
        assertEquals(OdpRegion.MAX_RETRIES + 1, ctx.events(Fault.class).size());
        assertTrue(ctx.events(WriteFrame.class).isEmpty());
        assertTrue(ctx.dmesg().get(0).contains("invalidated " + OdpRegion.MAX_RETRIES + " times"),
                ctx.dmesg().toString());
    }
}
