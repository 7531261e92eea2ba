package org.pinlab.fs.btrfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.fs.testing.FakeFsKernel.writeback;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.testing.FakeFsKernel.Io;
import org.pinlab.api.fs.testing.FakeFsKernel;
import org.pinlab.api.fs.testing.FakePage;
import org.pinlab.api.mm.PageFlags;

class BtrfsSuperblockTest {

    private static final int INO = 257;

    private final FakeFsKernel kernel = new FakeFsKernel(4);

    private BtrfsSuperblock mount(Map<String, String> options) {
        return (BtrfsSuperblock) new BtrfsType().mount(kernel, options);
    }

    private BtrfsSuperblock mount() {
        return mount(Map.of());
    }

    /** A write fault then writeback, as a store through a shared mapping does; returns the block written. */
    private long writeOnce(BtrfsSuperblock sb, FakePage page) {
        assertEquals(0, sb.pageMkwrite(page));
        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        return kernel.writes.get(kernel.writes.size() - 1).block();
    }

    @Test
    void pageMkwriteReservesDelallocSpaceAndMarksThePageExtentMapped() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 3);
        assertEquals(0, sb.pageMkwrite(page));
        assertEquals(1, sb.reservedBlockCount());
        assertEquals(3, sb.freeBlockCount());
        assertEquals(-1, sb.mappedBlock(INO, 3)); // delalloc is not on disk yet
        assertTrue(page.hasPrivate());
        assertEquals(BtrfsSuperblock.EXTENT_FOLIO_PRIVATE, page.privateData);
        assertTrue(kernel.writes.isEmpty());
    }

    @Test
    void pageMkwriteOnADelallocPageReservesNothingMore() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        sb.pageMkwrite(page);
        assertEquals(1, sb.reservedBlockCount());
        assertEquals(1, page.attaches);
    }

    @Test
    void pageMkwriteFailsWithEnospcOnceReservationsFillTheDevice() {
        BtrfsSuperblock sb = mount();
        for (int i = 0; i < 4; i++) {
            assertEquals(0, sb.pageMkwrite(new FakePage(INO, i)));
        }
        FakePage fifth = new FakePage(INO, 4);
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(fifth));
        assertEquals(4, sb.reservedBlockCount()); // nothing reserved for the failed fault
        assertFalse(fifth.hasPrivate());
    }

    @Test
    void anOverwriteNeedsFreeSpaceBecauseCowNeverWritesInPlace() {
        // three pages written once hold three blocks; the fourth block is all an overwrite can have
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        writeOnce(sb, page);
        writeOnce(sb, new FakePage(INO, 1));
        writeOnce(sb, new FakePage(INO, 2));
        assertEquals(0, sb.pageMkwrite(page));
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(new FakePage(INO, 3)));
    }

    @Test
    void cowMovesThePageToANewBlockOnEveryWriteback() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        long previous = -1;
        for (int i = 0; i < 6; i++) {
            long block = writeOnce(sb, page);
            assertNotEquals(previous, block, "write " + i + " went in place");
            assertEquals(block, sb.mappedBlock(INO, 0));
            previous = block;
        }
        // lowest free first: the block two writes back is free again by then
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L), kernel.writes.stream().map(Io::block).toList());
        assertEquals(0, sb.reservedBlockCount());
    }

    @Test
    void theReplacedBlockStaysPinnedUntilThePageIsSeenWithNoWriteInFlight() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        writeOnce(sb, page);
        writeOnce(sb, page);
        assertEquals(2, sb.usedBlockCount()); // block 0 is pinned: its transaction has not committed
        assertFalse(sb.releasePage(page.with(PageFlags.WRITEBACK)));
        assertEquals(2, sb.usedBlockCount());
        assertTrue(sb.releasePage(page.without(PageFlags.WRITEBACK)));
        assertEquals(1, sb.usedBlockCount());
        assertEquals(1, sb.mappedBlock(INO, 0));
    }

    @Test
    void eachWriteRecordsTheChecksumOfItsOwnBlockAtSubmission() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        long first = writeOnce(sb, page);
        long firstGeneration = sb.generation(INO, 0);
        assertEquals(CsumTree.sum(INO, 0, firstGeneration), sb.csum(first));
        long second = writeOnce(sb, page);
        long secondGeneration = sb.generation(INO, 0);
        assertNotEquals(firstGeneration, secondGeneration);
        assertEquals(CsumTree.sum(INO, 0, secondGeneration), sb.csum(second));
        assertNotEquals(sb.csum(first), sb.csum(second)); // the pinned old block keeps its own sum
        sb.releasePage(page);
        assertNull(sb.csum(first)); // and loses it when the block is freed
        assertEquals(1, sb.csumCount());
    }

    @Test
    void checksummedDataAsksForStablePagesSoAChangeUnderWritebackIsTorn() {
        // the SPI shows a filesystem no page contents: the kernel waits in page_mkwrite and reports a
        // change under writeback as a torn write because btrfs answers stableWrites, as
        // AS_STABLE_WRITES makes v6.15 wait; that torn block is what btrfs reads back as "csum failed"
        assertTrue(mount().stableWrites());
        BtrfsSuperblock nodatasum = mount(Map.of("datasum", "off"));
        assertFalse(nodatasum.stableWrites());
        writeOnce(nodatasum, new FakePage(INO, 0));
        assertEquals(0, nodatasum.csumCount()); // and no sums to compare a torn block with
    }

    @Test
    void aPageDirtiedWithoutPageMkwriteIsRedirtiedForTheCowFixupWorkerAndWrittenAtTheNextWriteback() {
        // seed 001 on btrfs: reclaim strips the private of a clean pinned page, the device writes it
        // and the driver dirties it behind btrfs's back. btrfs_writepage_cow_fixup (v6.15) returns
        // -EAGAIN: extent_writepage_io redirties the folio, the fixup worker reserves later
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 5);
        long first = writeOnce(sb, page);
        assertTrue(sb.releasePage(page));
        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        assertEquals(1, kernel.writes.size(), "nothing written by this writeback");
        assertEquals(List.of(INO + ":5"), kernel.redirtied, "folio_redirty_for_writepage");
        assertTrue(page.test(PageFlags.DIRTY));
        assertEquals(1, kernel.queuedWork.size());
        assertEquals("btrfs_writepage_fixup_worker", kernel.queuedWork.get(0).name());

        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        assertEquals(1, kernel.queuedWork.size(), "PG_checked: one fixup at a time");
        assertEquals(2, kernel.redirtied.size());

        kernel.queuedWork.get(0).run(); // the kworker, with the folio locked
        assertEquals(1, sb.reservedBlockCount(), "btrfs_delalloc_reserve_space + btrfs_set_extent_delalloc");
        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        long second = sb.mappedBlock(INO, 5);
        assertNotEquals(first, second);
        assertEquals(new Io(INO, 5, second), kernel.writes.get(1));
        assertTrue(page.hasPrivate()); // set_folio_extent_mapped again
        assertEquals(0, sb.reservedBlockCount()); // the fixup's reservation became the new block
        assertTrue(kernel.warnings.isEmpty()); // a default build fixes it up without a word
    }

    @Test
    void theCowFixupWorkerDropsThePageWithEnospcWhenItCannotReserve() {
        BtrfsSuperblock sb = mount();
        for (int i = 0; i < 4; i++) {
            sb.pageMkwrite(new FakePage(INO, i));
        }
        FakePage outOfBand = new FakePage(INO + 1, 0).with(PageFlags.DIRTY);
        assertEquals(0, writeback(sb, outOfBand));
        assertTrue(kernel.started.isEmpty() && kernel.unsubmitted.isEmpty(), "no writeback was started");
        kernel.queuedWork.get(0).run();
        assertEquals(List.of((INO + 1) + ":0:" + Errno.ENOSPC.negative()), kernel.mappingErrors, "mapping_set_error");
        assertFalse(outOfBand.test(PageFlags.DIRTY), "folio_clear_dirty_for_io: the data is given up");
        assertTrue(kernel.writes.isEmpty());
        assertEquals(-1, sb.mappedBlock(INO + 1, 0));
    }

    @Test
    void aFixupWorkerFindingThePageCleanOrInvalidatedDoesNothing() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 1).with(PageFlags.DIRTY);
        writeback(sb, page.with(PageFlags.DIRTY));
        sb.invalidatePage(page); // truncated; the kernel would not even call the work, the flag goes too
        kernel.queuedWork.get(0).run();
        assertEquals(0, sb.reservedBlockCount());
        assertTrue(kernel.mappingErrors.isEmpty());
    }

    @Test
    void anExperimentalBuildRefusesAnOutOfBandDirtyPageWithEuclean() {
        BtrfsSuperblock sb = mount(Map.of("experimental", "on"));
        FakePage page = new FakePage(INO, 2).with(PageFlags.DIRTY);
        assertEquals(BtrfsSuperblock.EUCLEAN, writeback(sb, page));
        assertEquals(List.of(new FakeFsKernel.Finding("extent_writepage",
                "BTRFS error: root 5 ino 257 folio 8192 is marked dirty without notifying the fs")), kernel.warnings);
        assertTrue(kernel.started.isEmpty() && kernel.unsubmitted.isEmpty(), "no writeback was started");
        assertTrue(kernel.writes.isEmpty());
        assertEquals(4, sb.freeBlockCount());
    }

    @Test
    void anExperimentalBuildCatchesAPageWithPrivateButNoDelallocInTheCowFixup() {
        BtrfsSuperblock sb = mount(Map.of("experimental", "on"));
        FakePage page = new FakePage(INO, 0).without(PageFlags.UPTODATE);
        sb.readPage(page); // read in: extent mapped, but nothing reserved
        assertEquals(BtrfsSuperblock.EUCLEAN, writeback(sb, page.with(PageFlags.UPTODATE).with(PageFlags.DIRTY)));
        assertEquals("btrfs_writepage_cow_fixup", kernel.warnings.get(0).function());
    }

    @Test
    void aPageKeptDirtyThroughItsWritebackIsOutOfBandAtTheNextOne() {
        // snapshot writeback writes a stable copy and leaves the page dirty: its delalloc is spent
        BtrfsSuperblock fixup = mount();
        FakePage page = new FakePage(INO, 0).with(PageFlags.DIRTY);
        fixup.pageMkwrite(page);
        assertEquals(0, fixup.writepage(page));
        page.without(PageFlags.WRITEBACK); // the stable copy's I/O completed; the page is still dirty
        assertEquals(0, fixup.writepage(page)); // out of band: redirtied, the fixup queued
        assertEquals(1, kernel.writes.size());
        kernel.queuedWork.get(0).run(); // the fixup reserves again
        assertEquals(0, fixup.writepage(page)); // and the next writeback writes it
        assertEquals(2, kernel.writes.size());
        assertTrue(kernel.warnings.isEmpty());

        BtrfsSuperblock experimental = mount(Map.of("experimental", "on"));
        FakePage other = new FakePage(INO + 1, 0).with(PageFlags.DIRTY);
        experimental.pageMkwrite(other);
        assertEquals(0, experimental.writepage(other));
        other.without(PageFlags.WRITEBACK);
        assertEquals(BtrfsSuperblock.EUCLEAN, experimental.writepage(other));
        assertEquals("btrfs_writepage_cow_fixup", kernel.warnings.get(0).function());
    }

    @Test
    void nodatacowRewritesAnAllocatedBlockInPlaceWithoutChecksums() {
        BtrfsSuperblock sb = mount(Map.of("datacow", "off"));
        FakePage page = new FakePage(INO, 0);
        long first = writeOnce(sb, page); // a hole still needs a new extent
        assertEquals(first, writeOnce(sb, page));
        assertEquals(first, writeOnce(sb, page));
        assertEquals(1, sb.usedBlockCount());
        assertEquals(0, sb.reservedBlockCount());
        assertEquals(0, sb.csumCount());
    }

    @Test
    void nodatacowPageMkwriteStillNeedsDataSpaceInV615() {
        BtrfsSuperblock sb = mount(Map.of("datacow", "off"));
        FakePage page = new FakePage(INO, 0);
        writeOnce(sb, page);
        for (int i = 1; i < 4; i++) {
            sb.pageMkwrite(new FakePage(INO, i));
        }
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(page)); // in place or not, v6.15 reserves first
    }

    @Test
    void readPageReadsTheCurrentBlockAndZeroesHolesAndDelalloc() {
        BtrfsSuperblock sb = mount();
        FakePage written = new FakePage(INO, 0);
        writeOnce(sb, written);
        long block = writeOnce(sb, written);
        sb.pageMkwrite(new FakePage(INO, 1));
        FakePage read = new FakePage(INO, 0).without(PageFlags.UPTODATE);
        sb.readPage(read);
        sb.readPage(new FakePage(INO, 1).without(PageFlags.UPTODATE));
        sb.readPage(new FakePage(INO, 2).without(PageFlags.UPTODATE));
        assertEquals(List.of(new Io(INO, 0, block)), kernel.reads);
        assertEquals(List.of(INO + ":1", INO + ":2"), kernel.zeroed);
        assertTrue(read.hasPrivate());
    }

    @Test
    void releasePageRefusesDirtyPagesAndPagesUnderWritebackAndDropsPrivate() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        assertFalse(sb.releasePage(page.with(PageFlags.DIRTY)));
        assertFalse(sb.releasePage(page.without(PageFlags.DIRTY).with(PageFlags.WRITEBACK)));
        assertTrue(sb.releasePage(page.without(PageFlags.WRITEBACK)));
        assertFalse(page.hasPrivate());
        assertEquals(1, page.detaches);
        assertTrue(sb.releasePage(page)); // nothing left to drop
    }

    @Test
    void invalidatePageGivesTheReservationBackAndDetachesPrivate() {
        BtrfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0).with(PageFlags.DIRTY);
        sb.pageMkwrite(page);
        sb.invalidatePage(page);
        assertEquals(0, sb.reservedBlockCount());
        assertEquals(4, sb.freeBlockCount());
        assertFalse(page.hasPrivate());
    }

    @Test
    void freeBlocksFreesBlocksPinnedBlocksSumsAndReservationsOfTheRangeOnly() {
        BtrfsSuperblock sb = mount();
        FakePage zero = new FakePage(INO, 0);
        writeOnce(sb, zero);
        writeOnce(sb, zero); // blocks 1, and 0 pinned
        writeOnce(sb, new FakePage(INO, 1)); // block 2
        sb.pageMkwrite(new FakePage(INO, 2)); // reserved
        assertEquals(0, sb.freeBlockCount());
        sb.freeBlocks(INO, 1, 3);
        assertEquals(-1, sb.mappedBlock(INO, 1));
        assertEquals(1, sb.mappedBlock(INO, 0));
        assertNull(sb.csum(2));
        assertEquals(2, sb.freeBlockCount());
        sb.freeBlocks(INO, 0, Integer.MAX_VALUE);
        assertEquals(4, sb.freeBlockCount());
        assertEquals(0, sb.csumCount());
    }

    @Test
    void freeBlocksStaysInsideItsInode() {
        BtrfsSuperblock sb = mount();
        writeOnce(sb, new FakePage(INO, 7));
        writeOnce(sb, new FakePage(INO + 1, 0));
        sb.freeBlocks(INO, 0, Integer.MAX_VALUE);
        sb.freeBlocks(INO + 2, 0, 10); // an inode never written
        assertEquals(-1, sb.mappedBlock(INO, 7));
        assertEquals(1, sb.mappedBlock(INO + 1, 0));
        assertEquals(3, sb.freeBlockCount());
    }
}
