package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.fs.dax.internal.DaxType;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.drivers.DeviceHostTest;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.AddressSpace;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.truncate.DeferFree;
import org.pinlab.strategies.internal.truncate.FailTruncate;
import org.pinlab.strategies.internal.truncate.ProceedWithTruncate;
import org.pinlab.strategies.internal.truncate.RevokePins;
import org.pinlab.strategies.internal.truncate.WaitForIdle;

/**
 * The DAX bundle on the model kernel: a process stores into a shared DAX mapping, a device
 * pins it, and a truncate or hole punch comes while the pin is held. The truncate policy
 * decides whether the device then writes into a block the filesystem already gave away.
 */
class DaxEndToEndTest {

    private static final long MS = 1_000_000;
    private static final int PAGES = 4;

    /**
     * Pins its buffer, sleeps (a revoke wakes it early), then writes every page and releases
     * dirty; once revoked it stops its DMA and releases without writing.
     */
    static final class PinSleepWrite implements Device {
        final boolean longterm;
        final boolean revocable;
        final List<String> log = new ArrayList<>();
        int state;
        DmaMap map;

        PinSleepWrite(boolean longterm, boolean revocable) {
            this.longterm = longterm;
            this.revocable = revocable;
        }

        @Override
        public boolean step(DeviceContext ctx) {
            switch (state++) {
                case 0:
                    ctx.pin(ctx.buffers().get(0), 0, ctx.buffers().get(0).pages(), true, longterm);
                    return true;
                case 1:
                    map = ctx.mapped();
                    log.add("pinned " + ctx.error());
                    if (map == null) {
                        return false;
                    }
                    ctx.sleep(5 * MS);
                    return true;
                case 2:
                    if (map.revoked()) {
                        log.add("stopped");
                        ctx.release(map, false);
                        return true;
                    }
                    for (int i = 0; i < map.pages(); i++) {
                        ctx.deviceWrite(map, i);
                    }
                    log.add("wrote");
                    ctx.release(map, true);
                    return true;
                default:
                    log.add("released");
                    return false;
            }
        }

        @Override
        public boolean revoke(DmaMap m) {
            log.add("revoke");
            return revocable;
        }
    }

    /** One machine with a DAX mount, a file of {@link #PAGES} pages mapped shared, stored to by "app". */
    private static final class Scene {
        final Machine m;
        final Kernel k;
        final Mount mount;
        final Inode file;
        final Mm mm;
        final Vma map;

        Scene(Map<String, String> options, TruncatePolicy truncate) {
            m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                    .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                    .pinTracker(Trackers.merged())
                    .choices(new Picks().release(new TrackedReleaseStrategy()).truncate(truncate))
                    .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
            k = MachineKernel.of(m);
            mount = k.mounts.mount("/pmem", new DaxType(), options, 64);
            file = k.filemap.createFile(mount, PAGES);
            mm = k.mmap.newMm("app");
            map = k.mmap.mmap(mm, PAGES, true, true, file, 0);
            Script app = new Script("app");
            for (int i = 0; i < PAGES; i++) {
                long vpn = map.startVpn() + i;
                app.call(() -> new UserAccess(k.memory, mm, vpn, true));
            }
            m.engine().spawn("app", app, 0);
            m.runUntil(MS / 2);
        }

        PinSleepWrite attach(boolean longterm, boolean revocable) {
            PinSleepWrite dev = new PinSleepWrite(longterm, revocable);
            k.devices.attachDevice(DeviceHostTest.type(dev), "mlx5_0", Map.of(),
                    List.of(k.userBuffer("mr0", mm, map, 0, PAGES)));
            return dev;
        }

        TruncatePages truncateAt(long at, TruncatePages truncate) {
            m.engine().spawn("truncate", new Script("truncate").at(at).call(() -> truncate), 0);
            return truncate;
        }

        int count(FindingKind kind) {
            return m.engine().count(kind);
        }
    }

    /** The pre-v4.15 kernel: RDMA registers DAX memory long-term, then the file is truncated under it. */
    private static Scene truncateUnderALongtermPin(TruncatePolicy policy, boolean revocable, List<String> log) {
        Scene s = new Scene(Map.of("longterm", "allow"), policy);
        PinSleepWrite dev = s.attach(true, revocable);
        TruncatePages truncate = s.truncateAt(2 * MS, new TruncatePages(s.k.truncate, s.file, 0));
        s.m.runUntil(20 * MS);
        log.addAll(dev.log);
        log.add("truncate " + truncate.result);
        s.m.finish();
        return s;
    }

    @Test
    void proceedFreesTheBlocksUnderTheDeviceWhichThenWritesIntoFreedPmem() {
        List<String> log = new ArrayList<>();
        Scene s = truncateUnderALongtermPin(new ProceedWithTruncate(), false, log);
        assertEquals(List.of("pinned 0", "wrote", "released", "truncate 0"), log);
        assertEquals(PAGES, s.count(FindingKind.USE_AFTER_FREE), s.m.findings().toString());
        Finding uaf = s.m.findings().get(0);
        assertTrue(uaf.message().contains("held across the truncate"), uaf.message());
        assertTrue(uaf.message().contains("is pmem whose block the filesystem freed"), uaf.message());
        assertEquals(0, s.count(FindingKind.PIN_LEAK), s.m.findings().toString());
        assertEquals(0, s.file.sizePages());
    }

    @Test
    void waitHoldsTheTruncateUntilTheDeviceReleasesSoNothingIsWrittenIntoAFreedBlock() {
        List<String> log = new ArrayList<>();
        Scene s = truncateUnderALongtermPin(new WaitForIdle(), false, log);
        assertEquals(List.of("pinned 0", "wrote", "released", "truncate 0"), log);
        assertTrue(s.m.findings().isEmpty(), s.m.findings().toString());
        assertEquals(0, s.file.sizePages());
        assertEquals(0, s.file.mapping().nrPages());
    }

    @Test
    void revokeStopsARevocableDeviceBeforeItWritesAndTheTruncateGoesOn() {
        List<String> log = new ArrayList<>();
        Scene s = truncateUnderALongtermPin(new RevokePins(), true, log);
        assertEquals(List.of("pinned 0", "revoke", "stopped", "released", "truncate 0"), log);
        assertTrue(s.m.findings().isEmpty(), s.m.findings().toString());
        assertEquals(0, s.k.vm.vmstat(Vmstat.DMA_WRITE_PAGES));
    }

    @Test
    void revokeWaitsForADeviceThatCannotStop() {
        List<String> log = new ArrayList<>();
        Scene s = truncateUnderALongtermPin(new RevokePins(), false, log);
        assertEquals(List.of("pinned 0", "revoke", "wrote", "released", "truncate 0"), log);
        assertTrue(s.m.findings().isEmpty(), s.m.findings().toString());
    }

    @Test
    void failReturnsEbusyAndTheFileKeepsItsBlocksAndTheDevicesData() {
        List<String> log = new ArrayList<>();
        Scene s = truncateUnderALongtermPin(new FailTruncate(), false, log);
        assertEquals(List.of("pinned 0", "wrote", "released", "truncate " + Errno.EBUSY.negative()), log);
        assertTrue(s.m.findings().isEmpty(), s.m.findings().toString());
        assertEquals(PAGES, s.file.sizePages());
        for (int i = 0; i < PAGES; i++) {
            assertTrue(s.mount.superblock().mappedBlock(s.file.ino(), i) >= 0);
            long want = s.k.oracles.latest(s.file, i);
            assertNotEquals(0, want);
            assertEquals(want, s.k.oracles.durable(s.file, i), "page " + i);
        }
    }

    @Test
    void deferFreeKeepsTheBlocksUntilTheUnpinSoTheDevicesWritesHarmNoOne() {
        Scene s = new Scene(Map.of("longterm", "allow"), new DeferFree());
        s.attach(true, false);
        TruncatePages truncate = s.truncateAt(2 * MS, new TruncatePages(s.k.truncate, s.file, 0));
        s.m.runUntil(3 * MS);
        assertEquals(0, truncate.result);
        assertEquals(PAGES, s.k.truncate.deferredBlockFrees());
        s.m.runUntil(20 * MS);
        assertEquals(0, s.k.truncate.deferredBlockFrees());
        assertTrue(s.m.finish().isEmpty(), s.m.findings().toString());
    }

    @Test
    void aBlockFreedUnderTheDeviceAndGivenToAnotherFileIsCorruptedByItsDma() {
        Scene s = new Scene(Map.of("longterm", "allow"), new ProceedWithTruncate());
        s.attach(true, false);
        s.truncateAt(2 * MS, TruncatePages.punchHole(s.k.truncate, s.file, 0, 1));
        Inode other = s.k.filemap.createFile(s.mount, 1);
        Vma otherMap = s.k.mmap.mmap(s.mm, 1, true, true, other, 0);
        s.m.engine().spawn("other", new Script("other").at(3 * MS)
                .call(() -> new UserAccess(s.k.memory, s.mm, otherMap.startVpn(), true)), 0);
        s.m.runUntil(4 * MS);
        int reused = other.mapping().lookup(0);
        assertEquals(0, s.mount.superblock().mappedBlock(other.ino(), 0), "the punched block went to the other file");
        s.m.runUntil(20 * MS);
        assertEquals(1, s.count(FindingKind.USE_AFTER_FREE), s.m.findings().toString());
        Finding uaf = s.m.findings().get(0);
        assertTrue(uaf.message().contains("pfn " + reused), uaf.message());
        assertTrue(uaf.message().contains("now inode " + other.ino() + " page 0"), uaf.message());
        assertEquals(PAGES, s.file.sizePages(), "a hole punch keeps i_size");
    }

    @Test
    void aLongtermPinOfTheDefaultMountIsRefusedWithEopnotsuppAndPinsNothing() {
        Scene s = new Scene(Map.of(), new ProceedWithTruncate());
        PinSleepWrite dev = s.attach(true, false);
        s.m.runUntil(2 * MS);
        assertEquals(List.of("pinned " + Errno.EOPNOTSUPP.negative()), dev.log);
        assertTrue(s.k.pins.accounting().outstanding().isEmpty());
        assertEquals(0, s.k.vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED));
        for (int i = 0; i < PAGES; i++) {
            assertEquals(1, s.k.frames.refcount(s.file.mapping().lookup(i)) - s.k.frames.mapcount(
                    s.file.mapping().lookup(i)), "page " + i + " is idle");
        }
        assertTrue(s.m.finish().isEmpty(), s.m.findings().toString());
    }

    @Test
    void aShortTermPinOfTheDefaultMountWorksAndMakesTheDefaultTruncateWait() {
        Scene s = new Scene(Map.of(), new WaitForIdle());
        PinSleepWrite dev = s.attach(false, false);
        TruncatePages truncate = s.truncateAt(2 * MS, new TruncatePages(s.k.truncate, s.file, 0));
        s.m.runUntil(4 * MS);
        assertEquals(List.of("pinned 0"), dev.log);
        assertEquals(PAGES, s.file.sizePages(), "the truncate is waiting on the busy pages");
        s.m.runUntil(20 * MS);
        assertEquals(List.of("pinned 0", "wrote", "released"), dev.log);
        assertEquals(0, truncate.result);
        assertEquals(0, s.file.sizePages());
        assertTrue(s.m.finish().isEmpty(), s.m.findings().toString());
    }

    @Test
    void daxDataIsDurableWithoutAnyWriteback() {
        Scene s = new Scene(Map.of(), new WaitForIdle());
        s.attach(false, false);
        Fsync fsync = new Fsync(s.k.fsWriteback, s.file);
        s.m.engine().spawn("fsync", new Script("fsync").at(10 * MS).call(() -> fsync), 0);
        s.m.runUntil(20 * MS);
        assertTrue(s.m.finish().isEmpty(), s.m.findings().toString());
        assertEquals(PAGES, s.k.vm.vmstat(Vmstat.DMA_WRITE_PAGES));
        for (int i = 0; i < PAGES; i++) {
            long want = s.k.oracles.latest(s.file, i);
            assertNotEquals(0, want);
            assertEquals(want, s.k.oracles.durable(s.file, i), "page " + i);
            assertEquals(want, s.k.frames.token(s.file.mapping().lookup(i)), "the frame is the medium");
        }
        assertEquals(0, s.k.vm.vmstat(Vmstat.WRITEBACK_PAGES));
        assertEquals(0, s.k.vm.vmstat(Vmstat.PGPGOUT));
        assertEquals(0, s.k.vm.vmstat(Vmstat.NR_WRITEBACK));
        assertEquals(0, s.k.vm.vmstat(Vmstat.NR_FILE_DIRTY));
        assertEquals(0, s.file.mapping().nrDirty());
        assertEquals(0, s.k.vm.vmstat(Vmstat.NR_FILE_PAGES));
    }

    @Test
    void reclaimFreesPageCachePagesButLeavesDaxFramesAlone() {
        Scene s = new Scene(Map.of(), new WaitForIdle());
        Mount ext4 = s.k.mounts.mount("/mnt", new Ext4Type(), Map.of(), 64);
        Inode cached = s.k.filemap.createFile(ext4, 8);
        Vma cachedMap = s.k.mmap.mmap(s.mm, 8, true, false, cached, 0);
        Script reader = new Script("reader");
        for (int i = 0; i < 8; i++) {
            long vpn = cachedMap.startVpn() + i;
            reader.call(() -> new UserAccess(s.k.memory, s.mm, vpn, false));
        }
        reader.then(0, t -> s.k.mmap.munmap(s.mm, cachedMap)).call(() -> new ShrinkNode(s.k.vmscan, 64, false));
        s.m.engine().spawn("reader", reader, 0);
        int[] before = new int[PAGES];
        long[] tokens = new long[PAGES];
        for (int i = 0; i < PAGES; i++) {
            before[i] = s.file.mapping().lookup(i);
            tokens[i] = s.k.frames.token(before[i]);
        }
        s.m.runUntil(50 * MS);
        assertEquals(8, s.k.vm.vmstat(Vmstat.PGSTEAL), "reclaim freed the clean ext4 pages");
        for (int i = 0; i < PAGES; i++) {
            int pfn = s.file.mapping().lookup(i);
            assertEquals(before[i], pfn);
            assertEquals(tokens[i], s.k.frames.token(pfn));
            assertFalse(s.k.frames.test(pfn, PageFlags.LRU | PageFlags.BUDDY));
            assertTrue((s.map.pte[i] & Vma.PTE_PRESENT) != 0, "still mapped");
        }
        assertTrue(s.m.finish().isEmpty(), s.m.findings().toString());
    }

    @Test
    void aHoleReadsThroughTheZeroPageUntilAStoreAllocatesABlock() {
        Scene s = new Scene(Map.of(), new WaitForIdle());
        Inode sparse = s.k.filemap.createFile(s.mount, 2);
        Vma v = s.k.mmap.mmap(s.mm, 2, true, true, sparse, 0);
        s.m.engine().spawn("reader", new Script("reader").call(() -> new UserAccess(s.k.memory, s.mm, v.startVpn(), false)),
                0);
        s.m.runUntil(MS);
        int zero = v.pfn[0];
        assertEquals(-1, s.mount.superblock().mappedBlock(sparse.ino(), 0), "a read allocates nothing");
        assertEquals(AddressSpace.NONE, sparse.mapping().lookup(0));
        assertEquals(0, s.k.frames.token(zero));
        assertEquals(0, v.pte[0] & Vma.PTE_WRITE);
        s.m.engine().spawn("writer", new Script("writer").call(() -> new UserAccess(s.k.memory, s.mm, v.startVpn(), true)),
                0);
        s.m.runUntil(2 * MS);
        long block = s.mount.superblock().mappedBlock(sparse.ino(), 0);
        assertTrue(block >= 0);
        assertEquals(s.mount.pmemFrame(block), v.pfn[0], "the store went to the block's own frame");
        assertNotEquals(zero, v.pfn[0]);
        assertEquals(0, s.k.frames.token(zero), "the zero page stays zero");
        assertTrue(s.m.finish().isEmpty(), s.m.findings().toString());
    }

    @Test
    void aPmemRegionThatDoesNotFitMountsNothingAndGivesItsFramesBack() {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(1024)).allocator(new BuddyAllocatorService()).build();
        Kernel k = MachineKernel.of(m);
        long free = k.vm.vmstat(Vmstat.NR_FREE_PAGES);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> k.mounts.mount("/pmem", new DaxType(), Map.of(), 2048));
        assertTrue(tooBig.getMessage().contains("2048 blocks of pmem"), tooBig.getMessage());
        assertTrue(k.mounts.list().isEmpty());
        assertEquals(free - 1, k.vm.vmstat(Vmstat.NR_FREE_PAGES), "only the zero page is kept");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.mounts.mount("/pmem", new DaxType(), Map.of("longterm", "sometimes"), 16));
        assertTrue(e.getMessage().contains("'longterm'"), e.getMessage());
        assertTrue(k.mounts.list().isEmpty());
        assertEquals(free - 1, k.vm.vmstat(Vmstat.NR_FREE_PAGES));
    }
}
