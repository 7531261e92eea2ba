package org.pinlab.fs.xfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.fs.testing.FakeFsKernel.writeback;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.testing.FakeFsKernel;
import org.pinlab.api.fs.testing.FakeFsKernel.Io;
import org.pinlab.api.fs.testing.FakePage;
import org.pinlab.api.mm.PageFlags;

class XfsSuperblockTest {

    private static final int INO = 131;

    private FakeFsKernel kernel = new FakeFsKernel(4);

    private XfsSuperblock mount() {
        return (XfsSuperblock) new XfsType().mount(kernel, Map.of());
    }

    /** page_mkwrite, then writeback: the page ends with a real block. */
    private static void writeOnce(XfsSuperblock sb, FakePage page) {
        assertEquals(0, sb.pageMkwrite(page));
        writeback(sb, page.with(PageFlags.DIRTY));
    }

    @Test
    void pageMkwriteReservesADelallocBlockWithoutAllocatingOrAttachingPrivate() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 3);
        assertEquals(0, sb.pageMkwrite(page));
        assertEquals(XfsSuperblock.DELAYSTARTBLOCK, sb.lookup(INO, 3));
        assertEquals(1, sb.delallocBlockCount());
        assertEquals(3, sb.freeBlockCount());
        assertEquals(-1, sb.mappedBlock(INO, 3)); // delalloc is a hole on disk
        assertFalse(page.hasPrivate()); // one block per folio: no iomap_folio_state
        assertEquals(0, page.attaches);
        assertTrue(kernel.writes.isEmpty());
    }

    @Test
    void pageMkwriteTwiceReservesOnce() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        sb.pageMkwrite(page);
        assertEquals(1, sb.delallocBlockCount());
        assertEquals(3, sb.freeBlockCount());
    }

    @Test
    void pageMkwriteOverAnAllocatedBlockReservesNothing() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        writeOnce(sb, page);
        assertEquals(0, sb.pageMkwrite(page));
        assertEquals(0, sb.delallocBlockCount());
        assertEquals(3, sb.freeBlockCount());
    }

    @Test
    void reservationsThatExhaustTheDeviceFailPageMkwriteWithEnospc() {
        XfsSuperblock sb = mount();
        for (int i = 0; i < 4; i++) {
            assertEquals(0, sb.pageMkwrite(new FakePage(INO, i)));
        }
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(new FakePage(INO, 4)));
        assertEquals(XfsSuperblock.HOLESTARTBLOCK, sb.lookup(INO, 4)); // nothing reserved for the failure
        assertEquals(4, sb.delallocBlockCount());
        assertEquals(0, sb.freeBlockCount());
    }

    @Test
    void allocatedBlocksCountAgainstFreeSpaceButAllocatedPagesStillFault() {
        XfsSuperblock sb = mount();
        for (int i = 0; i < 4; i++) {
            writeOnce(sb, new FakePage(INO, i));
        }
        assertEquals(0, sb.delallocBlockCount());
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(new FakePage(INO + 1, 0)));
        assertEquals(0, sb.pageMkwrite(new FakePage(INO, 2))); // overwrite needs no new space
    }

    @Test
    void writepageConvertsTheReservationToABlockAndSubmitsIt() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 5);
        sb.pageMkwrite(page);
        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        assertEquals(List.of(new Io(INO, 5, 0)), kernel.writes);
        assertEquals(0, sb.mappedBlock(INO, 5));
        assertEquals(0, sb.delallocBlockCount());
        assertEquals(3, sb.freeBlockCount()); // the reservation became the allocation
        assertTrue(kernel.unsubmitted.isEmpty());
    }

    @Test
    void blocksAreAllocatedInWritebackOrderNotFaultOrder() {
        XfsSuperblock sb = mount();
        FakePage a = new FakePage(INO, 0);
        FakePage b = new FakePage(INO, 1);
        sb.pageMkwrite(a);
        sb.pageMkwrite(b);
        writeback(sb, b.with(PageFlags.DIRTY));
        writeback(sb, a.with(PageFlags.DIRTY));
        assertEquals(0, sb.mappedBlock(INO, 1));
        assertEquals(1, sb.mappedBlock(INO, 0));
    }

    @Test
    void aPageDirtiedBehindTheFilesystemsBackIsRewrittenInPlace() {
        // seed 001 on xfs: written back once, then DMA through a GUP reference and
        // set_page_dirty_lock without page_mkwrite; the block from the first writeback takes it
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 7);
        writeOnce(sb, page);
        assertTrue(sb.releasePage(page)); // reclaim: nothing to strip
        writeback(sb, page.with(PageFlags.DIRTY));
        assertEquals(List.of(new Io(INO, 7, 0), new Io(INO, 7, 0)), kernel.writes);
        assertTrue(kernel.unsubmitted.isEmpty());
        assertTrue(kernel.warnings.isEmpty());
        assertTrue(kernel.bugs.isEmpty());
        assertEquals(3, sb.freeBlockCount());
    }

    @Test
    void aDirtyPageOverAHoleIsSkippedSilentlyAndItsDataLost() {
        // dirtied without page_mkwrite where nothing was ever reserved: IOMAP_HOLE
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 9).with(PageFlags.DIRTY);
        assertEquals(0, writeback(sb, page));
        assertEquals(List.of(INO + ":9"), kernel.unsubmitted);
        assertTrue(kernel.writes.isEmpty());
        assertTrue(kernel.warnings.isEmpty()); // xfs prints nothing here
        assertTrue(kernel.bugs.isEmpty());
        assertEquals(-1, sb.mappedBlock(INO, 9));
        assertEquals(4, sb.freeBlockCount()); // and allocates nothing for it
    }

    @Test
    void aPunchedReservationLeavesACachedDirtyPageOverAHole() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 2);
        sb.pageMkwrite(page);
        sb.freeBlocks(INO, 2, 3); // the delalloc extent goes while the page is still cached
        assertEquals(0, sb.delallocBlockCount());
        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        assertEquals(List.of(INO + ":2"), kernel.unsubmitted);
        assertTrue(kernel.writes.isEmpty());
    }

    @Test
    void freeBlocksFreesBlocksAndReservationsInTheRangeOnly() {
        XfsSuperblock sb = mount();
        writeOnce(sb, new FakePage(INO, 0));
        writeOnce(sb, new FakePage(INO, 1));
        sb.pageMkwrite(new FakePage(INO, 2));
        sb.pageMkwrite(new FakePage(INO, 3));
        assertEquals(0, sb.freeBlockCount());
        sb.freeBlocks(INO, 1, 3);
        assertEquals(0, sb.mappedBlock(INO, 0));
        assertEquals(XfsSuperblock.HOLESTARTBLOCK, sb.lookup(INO, 1));
        assertEquals(XfsSuperblock.HOLESTARTBLOCK, sb.lookup(INO, 2));
        assertEquals(XfsSuperblock.DELAYSTARTBLOCK, sb.lookup(INO, 3));
        assertEquals(2, sb.freeBlockCount());
        sb.freeBlocks(INO, 0, 100); // past the end of the fork
        sb.freeBlocks(INO + 7, 0, 4); // an inode never written
        assertEquals(4, sb.freeBlockCount());
    }

    @Test
    void freedBlocksAreReusedLowestFirst() {
        XfsSuperblock sb = mount();
        for (int i = 0; i < 4; i++) {
            writeOnce(sb, new FakePage(INO, i));
        }
        sb.freeBlocks(INO, 3, 4); // block 3
        sb.freeBlocks(INO, 1, 2); // block 1
        FakePage x = new FakePage(INO + 1, 0);
        FakePage y = new FakePage(INO + 1, 1);
        sb.pageMkwrite(x);
        sb.pageMkwrite(y);
        writeback(sb, y.with(PageFlags.DIRTY));
        writeback(sb, x.with(PageFlags.DIRTY));
        assertEquals(1, sb.mappedBlock(INO + 1, 1));
        assertEquals(3, sb.mappedBlock(INO + 1, 0));
    }

    @Test
    void largeIndexesGrowTheForkAsHoles() {
        XfsSuperblock sb = mount();
        sb.pageMkwrite(new FakePage(INO, 1000));
        assertEquals(XfsSuperblock.DELAYSTARTBLOCK, sb.lookup(INO, 1000));
        assertEquals(XfsSuperblock.HOLESTARTBLOCK, sb.lookup(INO, 999));
        assertEquals(XfsSuperblock.HOLESTARTBLOCK, sb.lookup(INO, 1001));
    }

    @Test
    void readPageReadsMappedBlocksAndZeroesHolesAndDelalloc() {
        XfsSuperblock sb = mount();
        writeOnce(sb, new FakePage(INO, 0));
        sb.pageMkwrite(new FakePage(INO, 1));
        sb.readPage(new FakePage(INO, 0));
        sb.readPage(new FakePage(INO, 1));
        sb.readPage(new FakePage(INO, 2));
        assertEquals(List.of(new Io(INO, 0, 0)), kernel.reads);
        assertEquals(List.of(INO + ":1", INO + ":2"), kernel.zeroed);
    }

    @Test
    void releasePageRefusesDirtyPagesAndPagesUnderWriteback() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        assertFalse(sb.releasePage(page.with(PageFlags.DIRTY)));
        assertFalse(sb.releasePage(page.without(PageFlags.DIRTY).with(PageFlags.WRITEBACK)));
        assertTrue(sb.releasePage(page.without(PageFlags.WRITEBACK)));
    }

    @Test
    void releasePageDropsPrivateStateIfAnyAndKeepsTheBlock() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        writeOnce(sb, page);
        page.attachPrivate(1); // as a multi-block folio's iomap_folio_state would be
        assertTrue(sb.releasePage(page));
        assertFalse(page.hasPrivate());
        assertEquals(1, page.detaches);
        assertEquals(0, sb.mappedBlock(INO, 0));
    }

    @Test
    void invalidatePageLeavesTheReservationToFreeBlocks() {
        XfsSuperblock sb = mount();
        FakePage page = new FakePage(INO, 0).with(PageFlags.DIRTY);
        sb.pageMkwrite(page);
        sb.invalidatePage(page);
        assertEquals(1, sb.delallocBlockCount()); // xfs_bunmapi drops it, not iomap_invalidate_folio
        assertEquals(0, page.detaches);
        sb.freeBlocks(INO, 0, 1);
        assertEquals(0, sb.delallocBlockCount());
        assertEquals(4, sb.freeBlockCount());
    }

    @Test
    void dataCsumOnAsksForStableWrites() {
        assertTrue(new XfsType().mount(kernel, Map.of("data_csum", "on")).stableWrites());
        assertFalse(mount().stableWrites());
    }
}
