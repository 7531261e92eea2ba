package org.pinlab.driver.nvme.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.device.testing.Event;
import org.pinlab.api.device.testing.Event.Charge;
import org.pinlab.api.device.testing.Event.Dma;
import org.pinlab.api.device.testing.Event.DmaRead;
import org.pinlab.api.device.testing.Event.DmaWrite;
import org.pinlab.api.device.testing.Event.Fault;
import org.pinlab.api.device.testing.Event.Pin;
import org.pinlab.api.device.testing.Event.Release;
import org.pinlab.api.device.testing.Event.Watch;
import org.pinlab.api.device.testing.Event.WriteFrame;
import org.pinlab.api.device.testing.FakeBuffer;
import org.pinlab.api.device.testing.FakeDeviceContext;
import org.pinlab.api.device.testing.FakeMap;
import org.pinlab.api.errno.Errno;

class NvmeDeviceTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private final FakeBuffer buffer = FakeBuffer.file("dio0", 80);

    /**
     * A host whose pins take 2 us and releases 1 us, whose step without an operation costs 50 ns plus
     * 1 us per page moved by DMA, with the block latencies of the cost table, and that holds the disk
     * to short-term pinning: no faults, no notifier, no frame writes, no RLIMIT_MEMLOCK charge.
     */
    static FakeDeviceContext host(long seed, UserBuffer... buffers) {
        return new FakeDeviceContext(seed, buffers).withName("nvme0n1").withTime(Pin.class, 2_000)
                .withTime(Release.class, 1_000).withStepTime(50, 1_000)
                .withCost("block-read", 80_000).withCost("block-write", 20_000)
                .forbid(Fault.class, "an NVMe disk never faults pages in")
                .forbid(WriteFrame.class, "an NVMe disk writes only through its bios' mappings")
                .forbid(Watch.class, "an NVMe disk registers no MMU notifier")
                .forbid(Charge.class, "short-term pins are not charged to RLIMIT_MEMLOCK");
    }

    private static NvmeDevice device(FakeDeviceContext ctx, Map<String, String> params) {
        return (NvmeDevice) new NvmeType().create(ctx, params);
    }

    private static List<FakeMap> pinned(FakeDeviceContext ctx) {
        return ctx.events(Pin.class).stream().map(Pin::map).toList();
    }

    private static List<FakeMap> released(FakeDeviceContext ctx) {
        return ctx.events(Release.class).stream().map(Release::map).toList();
    }

    @Test
    void aReadPinsWithFollWriteAndIsReleasedDirtyAfterTheDiskWroteEveryPage() {
        FakeDeviceContext ctx = host(7, FakeBuffer.file("dio0", 64));
        NvmeDevice dev = device(ctx, Map.of("read-fraction", "1", "ios", "1"));
        ctx.run(dev, 10 * MS);

        Pin pin = ctx.events(Pin.class).get(0);
        assertEquals(1, ctx.events(Pin.class).size());
        assertTrue(pin.map().write(), "FOLL_WRITE: the disk writes user memory");
        assertFalse(pin.map().longterm(), "an O_DIRECT pin is short-term");
        assertTrue(pin.fast(), "bio_iov_iter_get_pages pins through pin_user_pages_fast");
        assertEquals(32, pin.map().pages());
        List<DmaWrite> dma = ctx.events(DmaWrite.class);
        assertEquals(32, dma.size(), "every page of the bio written once");
        assertEquals(Set.of(pin.map()), dma.stream().map(DmaWrite::map).collect(Collectors.toSet()));
        assertTrue(ctx.events(DmaRead.class).isEmpty());
        assertTrue(dma.get(0).at() >= pin.map().mappedAt() + 80 * US, "the data moves after the block-read latency");
        Release release = ctx.events(Release.class).get(0);
        assertTrue(release.dirty(), "bio_release_pages(bio, mark_dirty=true)");
        assertTrue(release.at() > dma.get(31).at(), "dirtied after the DMA, not before");
        assertTrue(ctx.ended());
        assertEquals(1, dev.reads());
        assertEquals(0, dev.writes());
    }

    @Test
    void aWritePinsWithoutFollWriteAndIsReleasedClean() {
        FakeDeviceContext ctx = host(7, buffer);
        NvmeDevice dev = device(ctx, Map.of("read-fraction", "0", "ios", "1", "bio-pages", "4"));
        ctx.run(dev, 10 * MS);

        Pin pin = ctx.events(Pin.class).get(0);
        assertFalse(pin.map().write(), "the disk only reads: no FOLL_WRITE");
        assertEquals(4, ctx.events(DmaRead.class).size());
        assertTrue(ctx.events(DmaWrite.class).isEmpty(), "a write bio never stores into user memory");
        assertTrue(ctx.events(DmaRead.class).get(0).at() >= pin.map().mappedAt() + 20 * US, "block-write latency");
        assertFalse(ctx.events(Release.class).get(0).dirty(), "bio_release_pages(bio, mark_dirty=false)");
        assertEquals(1, dev.writes());
    }

    @Test
    void sequentialBiosWalkTheBufferAndTheLastOneIsShort() {
        FakeDeviceContext ctx = host(7, buffer);
        ctx.run(device(ctx, Map.of("pattern", "sequential", "ios", "4")), 10 * MS);

        List<String> ranges = pinned(ctx).stream().map(m -> m.first() + "+" + m.pages()).toList();
        assertEquals(List.of("0+32", "32+32", "64+16", "0+32"), ranges);
    }

    @Test
    void sequentialBiosMoveOnToTheNextBuffer() {
        FakeBuffer second = FakeBuffer.file("dio1", 8);
        FakeDeviceContext ctx = host(7, FakeBuffer.file("dio0", 8), second);
        ctx.run(device(ctx, Map.of("pattern", "sequential", "ios", "3", "bio-pages", "8")), 10 * MS);

        List<String> buffers = pinned(ctx).stream().map(m -> m.buffer().name()).toList();
        assertEquals(List.of("dio0", "dio1", "dio0"), buffers);
    }

    @Test
    void randomBiosStartBioAlignedInsideTheBuffer() {
        FakeDeviceContext ctx = host(11, buffer);
        ctx.run(device(ctx, Map.of("ios", "200", "bio-pages", "16")), 100 * MS);

        Set<Integer> starts = new HashSet<>();
        for (FakeMap m : pinned(ctx)) {
            assertEquals(0, m.first() % 16, m.toString());
            assertEquals(16, m.pages(), "80 pages is five whole bios");
            starts.add(m.first());
        }
        assertEquals(Set.of(0, 16, 32, 48, 64), starts);
    }

    @Test
    void theQueueDepthBoundsTheBiosInFlight() {
        FakeDeviceContext ctx = host(7, buffer);
        NvmeDevice dev = device(ctx, Map.of("queue-depth", "4", "gap", "0ns", "read-latency", "1ms",
                "write-latency", "1ms", "ios", "40"));
        ctx.run(dev, 100 * MS);

        assertEquals(4, ctx.maxLive());
        assertEquals(40, dev.reads() + dev.writes());
        assertEquals(0, dev.inFlight());
        assertTrue(ctx.ended());
    }

    @Test
    void queueDepthOneIsASynchronousReadOrWrite() {
        FakeDeviceContext ctx = host(7, buffer);
        ctx.run(device(ctx, Map.of("queue-depth", "1", "ios", "10")), 100 * MS);

        assertEquals(1, ctx.maxLive());
        List<Pin> pins = ctx.events(Pin.class);
        List<Release> releases = ctx.events(Release.class);
        for (int i = 1; i < pins.size(); i++) {
            assertTrue(pins.get(i).at() > releases.get(i - 1).at(), "bio " + i + " waits for bio " + (i - 1));
        }
    }

    @Test
    void biosCompleteInOrderOfTheirCompletionTimesSoFastWritesOvertakeSlowReads() {
        FakeDeviceContext ctx = host(5, buffer);
        Map<String, String> params = Map.of("queue-depth", "8", "gap", "5us", "read-latency", "200us",
                "write-latency", "30us", "read-fraction", "0.5", "ios", "60");
        ctx.run(device(ctx, params), 100 * MS);

        List<FakeMap> completed = released(ctx);
        assertEquals(60, completed.size());
        long previousDue = -1;
        boolean overtaken = false;
        for (FakeMap r : completed) {
            long due = r.mappedAt() + (r.write() ? 200 * US : 30 * US);
            assertTrue(due >= previousDue, r + " completed after a bio due later");
            previousDue = due;
        }
        List<FakeMap> submitted = pinned(ctx);
        for (int i = 0; i < completed.size() && !overtaken; i++) {
            overtaken = submitted.indexOf(completed.get(i)) > i;
        }
        assertTrue(overtaken, "some write should complete before a read submitted earlier");
        Map<FakeMap, Long> dmaAt = new HashMap<>();
        for (Dma e : ctx.events(Dma.class)) {
            dmaAt.putIfAbsent(e.map(), e.at());
        }
        for (FakeMap r : completed) {
            long due = r.mappedAt() + (r.write() ? 200 * US : 30 * US);
            assertTrue(dmaAt.get(r) >= due, r + " moved its data before it was due");
        }
    }

    @Test
    void theGapSpacesSubmissions() {
        FakeDeviceContext ctx = host(7, buffer);
        ctx.run(device(ctx, Map.of("queue-depth", "16", "gap", "50us", "read-latency", "5ms", "ios", "10")),
                100 * MS);

        List<Pin> pins = ctx.events(Pin.class);
        assertEquals(10, pins.size());
        for (int i = 1; i < pins.size(); i++) {
            assertTrue(pins.get(i).at() - pins.get(i - 1).map().mappedAt() >= 50 * US, "pin " + i);
        }
    }

    @Test
    void theReadFractionSplitsRequestsBetweenReadsAndWrites() {
        FakeDeviceContext ctx = host(3, buffer);
        NvmeDevice dev = device(ctx, Map.of("read-fraction", "0.25", "ios", "1000", "gap", "0ns"));
        ctx.run(dev, 10_000 * MS);

        assertEquals(1000, dev.reads() + dev.writes());
        assertTrue(dev.reads() > 200 && dev.reads() < 300, "reads: " + dev.reads());
        long dirtyReleases = ctx.events(Release.class).stream().filter(Release::dirty).count();
        assertEquals(dev.reads(), dirtyReleases, "exactly the reads are released dirty");
        long followWrite = pinned(ctx).stream().filter(FakeMap::write).count();
        assertEquals(dev.reads(), followWrite, "exactly the reads pin with FOLL_WRITE");
    }

    @Test
    void zeroIosRunsUntilDetached() {
        FakeDeviceContext ctx = host(7, buffer);
        NvmeDevice dev = device(ctx, Map.of());
        ctx.run(dev, 50 * MS);

        assertFalse(ctx.ended());
        assertTrue(dev.issued() > 100, "issued " + dev.issued());
    }

    @Test
    void aFailedPinFailsThatRequestOnlyAndIsLoggedOnce() {
        FakeDeviceContext ctx = host(7, buffer).fail(Pin.class, 1, Errno.ENOMEM.negative())
                .fail(Pin.class, 2, Errno.ENOMEM.negative());
        NvmeDevice dev = device(ctx, Map.of("ios", "5", "read-fraction", "1"));
        ctx.run(dev, 100 * MS);

        assertEquals(2, dev.failed());
        assertEquals(3, dev.reads());
        assertEquals(3, ctx.events(Release.class).size(), "nothing to release for a failed pin");
        assertEquals(1, ctx.dmesg().size(), ctx.dmesg().toString());
        assertTrue(ctx.dmesg().get(0).contains("failed with -ENOMEM (-12)"), ctx.dmesg().get(0));
        assertTrue(ctx.ended());
    }

    @Test
    void aBioCannotBeRevokedAndTheRefusalIsLogged() {
        FakeDeviceContext ctx = host(7, buffer);
        NvmeDevice dev = device(ctx, Map.of("ios", "1", "read-latency", "1ms", "read-fraction", "1"));
        ctx.run(dev, 100 * US);
        FakeMap inFlight = pinned(ctx).get(0);

        assertFalse(ctx.revoke(dev, inFlight));
        assertTrue(ctx.dmesg().get(0).startsWith("cannot revoke the O_DIRECT bio on pages [" + inFlight.first()),
                ctx.dmesg().toString());
        ctx.run(dev, 10 * MS);
        assertEquals(1, dev.reads(), "the bio completed on its own");
    }

    @Test
    void theSameSeedGivesTheSameOperations() {
        List<String> a = trace(9);
        assertEquals(a, trace(9));
        assertFalse(a.equals(trace(10)), "another seed should pick other offsets");
    }

    private List<String> trace(long seed) {
        FakeDeviceContext ctx = host(seed, buffer);
        ctx.run(device(ctx, Map.of("ios", "50", "bio-pages", "8")), 100 * MS);
        List<String> out = new ArrayList<>();
        for (Event e : ctx.events()) {
            out.add(e.at() + " " + e.line());
        }
        return out;
    }
}
