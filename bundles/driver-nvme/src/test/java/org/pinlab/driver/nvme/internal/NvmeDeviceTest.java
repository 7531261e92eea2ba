package org.pinlab.driver.nvme.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.driver.nvme.internal.FakeDeviceContext.Kind.DMA_READ;
import static org.pinlab.driver.nvme.internal.FakeDeviceContext.Kind.DMA_WRITE;
import static org.pinlab.driver.nvme.internal.FakeDeviceContext.Kind.PIN;
import static org.pinlab.driver.nvme.internal.FakeDeviceContext.Kind.RELEASE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.driver.nvme.internal.FakeDeviceContext.Event;
import org.pinlab.driver.nvme.internal.FakeDeviceContext.FakeBuffer;
import org.pinlab.driver.nvme.internal.FakeDeviceContext.FakeMap;
import org.pinlab.driver.nvme.internal.FakeDeviceContext.Kind;

class NvmeDeviceTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private final FakeBuffer buffer = new FakeBuffer("dio0", 80);

    private static NvmeDevice device(FakeDeviceContext ctx, Map<String, String> params) {
        return (NvmeDevice) new NvmeType().create(ctx, params);
    }

    private static List<FakeMap> maps(FakeDeviceContext ctx, Kind kind) {
        return ctx.events(kind).stream().map(Event::map).toList();
    }

    @Test
    void aReadPinsWithFollWriteAndIsReleasedDirtyAfterTheDiskWroteEveryPage() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, new FakeBuffer("dio0", 64));
        NvmeDevice dev = device(ctx, Map.of("read-fraction", "1", "ios", "1"));
        ctx.run(dev, 10 * MS);

        Event pin = ctx.events(PIN).get(0);
        assertEquals(1, ctx.events(PIN).size());
        assertTrue(pin.flag(), "FOLL_WRITE: the disk writes user memory");
        assertFalse(pin.map().longterm(), "an O_DIRECT pin is short-term");
        assertEquals(32, pin.map().pages());
        List<Event> dma = ctx.events(DMA_WRITE);
        assertEquals(32, dma.size(), "every page of the bio written once");
        assertEquals(Set.of(pin.map()), new HashSet<>(maps(ctx, DMA_WRITE)));
        assertTrue(ctx.events(DMA_READ).isEmpty());
        assertTrue(dma.get(0).at() >= pin.map().mappedAt + 80 * US, "the data moves after the block-read latency");
        Event release = ctx.events(RELEASE).get(0);
        assertTrue(release.flag(), "bio_release_pages(bio, mark_dirty=true)");
        assertTrue(release.at() > dma.get(31).at(), "dirtied after the DMA, not before");
        assertTrue(ctx.ended());
        assertEquals(1, dev.reads());
        assertEquals(0, dev.writes());
    }

    @Test
    void aWritePinsWithoutFollWriteAndIsReleasedClean() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        NvmeDevice dev = device(ctx, Map.of("read-fraction", "0", "ios", "1", "bio-pages", "4"));
        ctx.run(dev, 10 * MS);

        Event pin = ctx.events(PIN).get(0);
        assertFalse(pin.flag(), "the disk only reads: no FOLL_WRITE");
        assertEquals(4, ctx.events(DMA_READ).size());
        assertTrue(ctx.events(DMA_WRITE).isEmpty(), "a write bio never stores into user memory");
        assertTrue(ctx.events(DMA_READ).get(0).at() >= pin.map().mappedAt + 20 * US, "block-write latency");
        assertFalse(ctx.events(RELEASE).get(0).flag(), "bio_release_pages(bio, mark_dirty=false)");
        assertEquals(1, dev.writes());
    }

    @Test
    void sequentialBiosWalkTheBufferAndTheLastOneIsShort() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        ctx.run(device(ctx, Map.of("pattern", "sequential", "ios", "4")), 10 * MS);

        List<String> ranges = ctx.events(PIN).stream().map(e -> e.map().first + "+" + e.map().pages).toList();
        assertEquals(List.of("0+32", "32+32", "64+16", "0+32"), ranges);
    }

    @Test
    void sequentialBiosMoveOnToTheNextBuffer() {
        FakeBuffer second = new FakeBuffer("dio1", 8);
        FakeDeviceContext ctx = new FakeDeviceContext(7, new FakeBuffer("dio0", 8), second);
        ctx.run(device(ctx, Map.of("pattern", "sequential", "ios", "3", "bio-pages", "8")), 10 * MS);

        List<String> buffers = ctx.events(PIN).stream().map(e -> e.map().buffer().name()).toList();
        assertEquals(List.of("dio0", "dio1", "dio0"), buffers);
    }

    @Test
    void randomBiosStartBioAlignedInsideTheBuffer() {
        FakeDeviceContext ctx = new FakeDeviceContext(11, buffer);
        ctx.run(device(ctx, Map.of("ios", "200", "bio-pages", "16")), 100 * MS);

        Set<Integer> starts = new HashSet<>();
        for (Event e : ctx.events(PIN)) {
            assertEquals(0, e.map().first % 16, e.map().toString());
            assertEquals(16, e.map().pages, "80 pages is five whole bios");
            starts.add(e.map().first);
        }
        assertEquals(Set.of(0, 16, 32, 48, 64), starts);
    }

    @Test
    void theQueueDepthBoundsTheBiosInFlight() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
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
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        ctx.run(device(ctx, Map.of("queue-depth", "1", "ios", "10")), 100 * MS);

        assertEquals(1, ctx.maxLive());
        List<Event> pins = ctx.events(PIN);
        List<Event> releases = ctx.events(RELEASE);
        for (int i = 1; i < pins.size(); i++) {
            assertTrue(pins.get(i).at() > releases.get(i - 1).at(), "bio " + i + " waits for bio " + (i - 1));
        }
    }

    @Test
    void biosCompleteInOrderOfTheirCompletionTimesSoFastWritesOvertakeSlowReads() {
        FakeDeviceContext ctx = new FakeDeviceContext(5, buffer);
        Map<String, String> params = Map.of("queue-depth", "8", "gap", "5us", "read-latency", "200us",
                "write-latency", "30us", "read-fraction", "0.5", "ios", "60");
        ctx.run(device(ctx, params), 100 * MS);

        List<Event> releases = ctx.events(RELEASE);
        assertEquals(60, releases.size());
        long previousDue = -1;
        boolean overtaken = false;
        for (Event r : releases) {
            long due = r.map().mappedAt + (r.map().write ? 200 * US : 30 * US);
            assertTrue(due >= previousDue, r.map() + " completed after a bio due later");
            previousDue = due;
        }
        List<FakeMap> submitted = maps(ctx, PIN);
        List<FakeMap> completed = maps(ctx, RELEASE);
        for (int i = 0; i < completed.size() && !overtaken; i++) {
            overtaken = submitted.indexOf(completed.get(i)) > i;
        }
        assertTrue(overtaken, "some write should complete before a read submitted earlier");
        Map<FakeMap, Long> dmaAt = new HashMap<>();
        for (Event e : ctx.events) {
            if (e.kind() == DMA_READ || e.kind() == DMA_WRITE) {
                dmaAt.putIfAbsent(e.map(), e.at());
            }
        }
        for (Event r : releases) {
            long due = r.map().mappedAt + (r.map().write ? 200 * US : 30 * US);
            assertTrue(dmaAt.get(r.map()) >= due, r.map() + " moved its data before it was due");
        }
    }

    @Test
    void theGapSpacesSubmissions() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        ctx.run(device(ctx, Map.of("queue-depth", "16", "gap", "50us", "read-latency", "5ms", "ios", "10")),
                100 * MS);

        List<Event> pins = ctx.events(PIN);
        assertEquals(10, pins.size());
        for (int i = 1; i < pins.size(); i++) {
            assertTrue(pins.get(i).at() - pins.get(i - 1).map().mappedAt >= 50 * US, "pin " + i);
        }
    }

    @Test
    void theReadFractionSplitsRequestsBetweenReadsAndWrites() {
        FakeDeviceContext ctx = new FakeDeviceContext(3, buffer);
        NvmeDevice dev = device(ctx, Map.of("read-fraction", "0.25", "ios", "1000", "gap", "0ns"));
        ctx.run(dev, 10_000 * MS);

        assertEquals(1000, dev.reads() + dev.writes());
        assertTrue(dev.reads() > 200 && dev.reads() < 300, "reads: " + dev.reads());
        long dirtyReleases = ctx.events(RELEASE).stream().filter(Event::flag).count();
        assertEquals(dev.reads(), dirtyReleases, "exactly the reads are released dirty");
        long followWrite = ctx.events(PIN).stream().filter(Event::flag).count();
        assertEquals(dev.reads(), followWrite, "exactly the reads pin with FOLL_WRITE");
    }

    @Test
    void zeroIosRunsUntilDetached() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        NvmeDevice dev = device(ctx, Map.of());
        ctx.run(dev, 50 * MS);

        assertFalse(ctx.ended());
        assertTrue(dev.issued() > 100, "issued " + dev.issued());
    }

    @Test
    void aFailedPinFailsThatRequestOnlyAndIsLoggedOnce() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        ctx.failingPins.addAll(List.of(0, 1));
        NvmeDevice dev = device(ctx, Map.of("ios", "5", "read-fraction", "1"));
        ctx.run(dev, 100 * MS);

        assertEquals(2, dev.failed());
        assertEquals(3, dev.reads());
        assertEquals(3, ctx.events(RELEASE).size(), "nothing to release for a failed pin");
        assertEquals(1, ctx.log.size(), ctx.log.toString());
        assertTrue(ctx.log.get(0).contains("failed with " + DeviceContext.ENOMEM), ctx.log.get(0));
        assertTrue(ctx.ended());
    }

    @Test
    void aBioCannotBeRevokedAndTheRefusalIsLogged() {
        FakeDeviceContext ctx = new FakeDeviceContext(7, buffer);
        NvmeDevice dev = device(ctx, Map.of("ios", "1", "read-latency", "1ms", "read-fraction", "1"));
        ctx.run(dev, 100 * US);
        FakeMap inFlight = ctx.events(PIN).get(0).map();

        assertFalse(dev.revoke(inFlight));
        assertTrue(ctx.log.get(0).startsWith("cannot revoke the O_DIRECT bio on pages [" + inFlight.first), ctx.log
                .toString());
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
        FakeDeviceContext ctx = new FakeDeviceContext(seed, buffer);
        ctx.run(device(ctx, Map.of("ios", "50", "bio-pages", "8")), 100 * MS);
        List<String> out = new ArrayList<>();
        for (Event e : ctx.events) {
            out.add(e.at() + " " + e.kind() + " " + e.map() + " " + e.page());
        }
        return out;
    }
}
