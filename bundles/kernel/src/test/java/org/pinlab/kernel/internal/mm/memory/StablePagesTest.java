package org.pinlab.kernel.internal.mm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.fs.writeback.Fsync;

/**
 * Stable pages (v6.12): on a disk whose queue asks for stable writes ({@code bdev_stable_writes}
 * -> {@code SB_I_STABLE_WRITES} -> {@code AS_STABLE_WRITES}), every CPU path that modifies a
 * page under writeback waits in {@code folio_wait_stable}; a device writing a page it holds
 * by DMA cannot be made to wait, and its write tears the block.
 */
class StablePagesTest {

    private static final long US = Rig.US;
    private static final long MS = Rig.MS;

    /** What one run saw when the second writer came in during page 0's writeback. */
    private record Race(Rig rig, boolean underWritebackAtStart, boolean underWritebackAtReturn, long result) {
    }

    /** Page 0 is stored to, fsync writes it back, and during that write {@code write(2)} rewrites it. */
    private static Race pwriteDuringWriteback(boolean stableDisk) {
        Rig r = Rig.onDisk(stableDisk);
        boolean[] seen = new boolean[2];
        GenericPerformWrite[] write = new GenericPerformWrite[1];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .at(MS).call(() -> new Fsync(r.k.fsWriteback, r.file));
        r.task("writer").at(MS + 5 * US)
                .then(0, t -> seen[0] = r.k.frames.test(r.pfnOf(0), PageFlags.WRITEBACK))
                .call(() -> write[0] = new GenericPerformWrite(r.k.memory, r.file, 0))
                .then(0, t -> seen[1] = r.k.frames.test(r.pfnOf(0), PageFlags.WRITEBACK));
        r.runUntil(10 * MS);
        return new Race(r, seen[0], seen[1], write[0].result);
    }

    @Test
    void genericPerformWriteWaitsInFolioWaitStableOnAStableWritesDisk() {
        // __filemap_get_folio(FGP_WRITEBEGIN): FGP_STABLE -> folio_wait_stable (mm/filemap.c, v6.12)
        Race race = pwriteDuringWriteback(true);
        assertTrue(race.underWritebackAtStart(), "the write came while the page was under writeback");
        assertFalse(race.underWritebackAtReturn(), "write(2) returned only after the page's write completed");
        assertEquals(MemoryLayout.PAGE_SIZE, race.result());
        assertEquals(0, race.rig().count(FindingKind.TORN_WRITE), race.rig().machine.findings().toString());
        assertTrue(race.rig().k.frames.test(race.rig().pfnOf(0), PageFlags.DIRTY), "the new data waits for the next writeback");
    }

    @Test
    void withoutStableWritesWriteChangesThePageUnderWriteback() {
        // folio_wait_stable waits only if mapping_stable_writes: elsewhere the page may change under I/O
        Race race = pwriteDuringWriteback(false);
        assertTrue(race.underWritebackAtStart());
        assertTrue(race.underWritebackAtReturn(), "write(2) did not wait for the I/O");
        assertEquals(0, race.rig().count(FindingKind.TORN_WRITE), "no stable pages asked for, so no torn write");
    }

    /** Page 0 under fsync's writeback is changed, by a device through its reference or by a CPU store. */
    private static Rig changeDuringWriteback(boolean stableDisk, boolean byDevice) {
        Rig r = Rig.onDisk(stableDisk);
        int[] pfn = {-1};
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .then(0, t -> {
                    pfn[0] = r.pfnOf(0);
                    if (byDevice) {
                        r.k.refs.getPage(pfn[0]); // the device's pin: get_user_pages' reference
                    }
                })
                .at(MS).call(() -> new Fsync(r.k.fsWriteback, r.file));
        if (byDevice) {
            r.task("device").at(MS + 5 * US).then(0, t -> r.k.devices.dmaWrite(pfn[0]));
        } else {
            r.task("cpu").at(MS + 5 * US).call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true));
        }
        return r.runUntil(10 * MS);
    }

    @Test
    void aDeviceWritingAPinnedPageUnderWritebackTearsTheBlockOnAStableWritesDisk() {
        // nothing makes DMA wait: the block holds neither the data written nor the device's
        Rig r = changeDuringWriteback(true, true);
        assertEquals(1, r.count(FindingKind.TORN_WRITE), r.machine.findings().toString());
        assertNotEquals(r.k.oracles.latest(r.file, 0), r.k.oracles.durable(r.file, 0));
    }

    @Test
    void aCpuStoreUnderWritebackWaitsOnAStableWritesDiskSoNothingTears() {
        // the store faults (writeback write-protected the PTE) and page_mkwrite waits in folio_wait_stable
        assertEquals(0, changeDuringWriteback(true, false).count(FindingKind.TORN_WRITE));
    }

    @Test
    void aDeviceWritingUnderWritebackOnAPlainDiskIsNoTornWrite() {
        assertEquals(0, changeDuringWriteback(false, true).count(FindingKind.TORN_WRITE));
    }
}
