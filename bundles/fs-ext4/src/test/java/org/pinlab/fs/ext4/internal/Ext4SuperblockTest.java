package org.pinlab.fs.ext4.internal;

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

class Ext4SuperblockTest {

    private static final int INO = 12;

    private FakeFsKernel kernel = new FakeFsKernel(4);

    private Ext4Superblock mount(String... options) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String option : options) {
            String[] kv = option.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return (Ext4Superblock) new Ext4Type().mount(kernel, map);
    }

    @Test
    void pageMkwriteAttachesBuffersAndReservesWithoutAllocating() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 3);
        assertEquals(0, sb.pageMkwrite(page));
        assertTrue(page.hasPrivate());
        assertEquals(Ext4Superblock.ONE_BUFFER_HEAD, page.privateData());
        assertEquals(-1, sb.mappedBlock(INO, 3));
        assertEquals(3, sb.freeBlockCount());
        assertTrue(kernel.writes.isEmpty());
    }

    @Test
    void pageMkwriteTwiceReservesOnceAndAttachesOnce() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        sb.pageMkwrite(page);
        assertEquals(1, page.attaches);
        assertEquals(3, sb.freeBlockCount());
    }

    @Test
    void writepageAllocatesTheReservedBlockAndSubmitsIt() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 5).with(PageFlags.DIRTY);
        sb.pageMkwrite(page);
        assertEquals(0, writeback(sb, page));
        assertEquals(List.of(new Io(INO, 5, 0)), kernel.writes);
        assertEquals(List.of(INO + ":5"), kernel.started, "ext4 sets PG_writeback itself (folio_start_writeback)");
        assertEquals(0, sb.mappedBlock(INO, 5));
        assertEquals(3, sb.freeBlockCount());
        assertTrue(kernel.unsubmitted.isEmpty());
    }

    @Test
    void aPageWrittenAgainReusesItsBlock() {
        Ext4Superblock sb = mount();
        FakePage a = new FakePage(INO, 0);
        FakePage b = new FakePage(INO, 1);
        sb.pageMkwrite(a);
        sb.pageMkwrite(b);
        writeback(sb, b);
        writeback(sb, a);
        sb.pageMkwrite(a.with(PageFlags.DIRTY));
        writeback(sb, a);
        assertEquals(List.of(new Io(INO, 1, 0), new Io(INO, 0, 1), new Io(INO, 0, 1)), kernel.writes);
        assertEquals(2, sb.freeBlockCount());
    }

    @Test
    void reservationsThatExhaustTheDeviceFailPageMkwriteWithEnospc() {
        Ext4Superblock sb = mount();
        for (int i = 0; i < 4; i++) {
            assertEquals(0, sb.pageMkwrite(new FakePage(INO, i)));
        }
        FakePage fifth = new FakePage(INO, 4);
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(fifth));
        assertFalse(fifth.hasPrivate());
        assertEquals(0, sb.freeBlockCount());
    }

    @Test
    void allocatedBlocksCountAgainstFreeSpaceToo() {
        Ext4Superblock sb = mount();
        for (int i = 0; i < 4; i++) {
            FakePage page = new FakePage(INO, i);
            sb.pageMkwrite(page);
            writeback(sb, page);
        }
        assertEquals(Errno.ENOSPC.negative(), sb.pageMkwrite(new FakePage(INO + 1, 0)));
        // an already allocated page needs no new space
        assertEquals(0, sb.pageMkwrite(new FakePage(INO, 2)));
    }

    @Test
    void freedBlocksAreReusedLowestFirst() {
        Ext4Superblock sb = mount();
        for (int i = 0; i < 4; i++) {
            FakePage page = new FakePage(INO, i);
            sb.pageMkwrite(page);
            writeback(sb, page);
        }
        sb.freeBlocks(INO, 3, 4); // block 3
        sb.freeBlocks(INO, 1, 2); // block 1
        assertEquals(-1, sb.mappedBlock(INO, 1));
        assertEquals(2, sb.freeBlockCount());
        FakePage x = new FakePage(INO + 1, 0);
        FakePage y = new FakePage(INO + 1, 1);
        sb.pageMkwrite(x);
        sb.pageMkwrite(y);
        writeback(sb, y);
        writeback(sb, x);
        assertEquals(1, sb.mappedBlock(INO + 1, 1));
        assertEquals(3, sb.mappedBlock(INO + 1, 0));
    }

    @Test
    void freeBlocksDropsReservationsInTheRangeOnly() {
        Ext4Superblock sb = mount();
        for (int i = 0; i < 3; i++) {
            sb.pageMkwrite(new FakePage(INO, i));
        }
        sb.freeBlocks(INO, 0, 2);
        assertEquals(3, sb.freeBlockCount());
    }

    @Test
    void writepageWithoutBuffersHitsTheBugOnByDefault() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 7);
        sb.pageMkwrite(page);
        writeback(sb, page);
        assertTrue(sb.releasePage(page)); // reclaim strips the buffers of the clean page
        page.with(PageFlags.DIRTY); // DMA, then set_page_dirty_lock without page_mkwrite
        assertEquals(0, writeback(sb, page));
        assertEquals(1, kernel.bugs.size());
        FakeFsKernel.Finding bug = kernel.bugs.get(0);
        // v4.4 data=ordered: ext4_writepages -> mpage_prepare_extent_to_map -> page_buffers() (inode.c:2394)
        assertEquals("mpage_prepare_extent_to_map", bug.function());
        assertTrue(bug.message().startsWith("kernel BUG at fs/ext4/inode.c:2394!"), bug.message());
        assertTrue(bug.message().contains("page 7 of inode 12 has no buffers"), bug.message());
        assertEquals(1, kernel.writes.size()); // only the first, good writeback
        assertTrue(kernel.warnings.isEmpty());
    }

    @Test
    void ext4WritepageOfTheJournalPathBugsOnFourFourAsSeedZeroZeroZerosStackShows() {
        // v4.4 ext4_writepages: ext4_should_journal_data -> write_cache_pages -> __writepage ->
        // ext4_writepage -> page_buffers() (inode.c:1843), the path of seed 000's trace
        Ext4Superblock sb = mount("data=journal");
        FakePage page = new FakePage(INO, 2);
        assertEquals(0, sb.pageMkwrite(page));
        assertEquals(0, sb.mappedBlock(INO, 2), "data=journal allocates at page_mkwrite: no delalloc");
        assertTrue(sb.releasePage(page));
        page.with(PageFlags.DIRTY);
        writeback(sb, page);
        FakeFsKernel.Finding bug = kernel.bugs.get(0);
        assertEquals("ext4_writepage", bug.function());
        assertTrue(bug.message().startsWith("kernel BUG at fs/ext4/inode.c:1843! ext4_writepage"), bug.message());
    }

    @Test
    void theWarningComesFromExt4WritepageOnSixOneDataJournalAndFromMpagePrepareExtentToMapOnSixTwelve() {
        // v6.1 still has ext4_writepage (with the v5.18 check); dae999602eeb (v6.2) removed it
        for (String k : List.of("6.1", "6.12")) {
            kernel = new FakeFsKernel(4);
            Ext4Superblock sb = mount("kernel=" + k, "data=journal");
            writeback(sb, new FakePage(INO, 1).with(PageFlags.DIRTY));
            assertEquals(k.equals("6.1") ? "ext4_writepage" : "mpage_prepare_extent_to_map",
                    kernel.warnings.get(0).function(), k);
            assertTrue(kernel.bugs.isEmpty());
        }
    }

    @Test
    void dioreadNolockWritesANewBlockAsAnUnwrittenExtentConvertedAtEndIo() {
        // 244adf6426ee (v5.6): mpage_map_one_extent with EXT4_GET_BLOCKS_IO_CREATE_EXT; the block is
        // a hole on disk until ext4_end_io_rsv_work converts it
        Ext4Superblock sb = mount("kernel=6.12");
        FakePage page = new FakePage(INO, 2);
        sb.pageMkwrite(page);
        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)));
        assertEquals(1, kernel.unwrittenWrites.size());
        long block = kernel.unwrittenWrites.get(0).io().block();
        assertEquals(-1, sb.mappedBlock(INO, 2), "unwritten: reads as a hole");
        kernel.unwrittenWrites.get(0).complete();
        assertEquals(block, sb.mappedBlock(INO, 2));

        assertEquals(0, writeback(sb, page.with(PageFlags.DIRTY)), "an overwrite of a written block");
        assertEquals(1, kernel.unwrittenWrites.size(), "is a plain write");
        assertEquals(2, kernel.writes.size());
    }

    @Test
    void theFourFourKernelWritesANewBlockWrittenAtOnce() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 2);
        sb.pageMkwrite(page);
        writeback(sb, page.with(PageFlags.DIRTY));
        assertTrue(kernel.unwrittenWrites.isEmpty(), "dioread_nolock was not the default before v5.6");
        assertEquals(kernel.writes.get(0).block(), sb.mappedBlock(INO, 2));
    }

    @Test
    void aConversionAfterTheBlockWasFreedConvertsNothing() {
        Ext4Superblock sb = mount("kernel=6.1");
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        writeback(sb, page.with(PageFlags.DIRTY));
        sb.freeBlocks(INO, 0, 1);
        kernel.unwrittenWrites.get(0).complete();
        assertEquals(-1, sb.mappedBlock(INO, 0));
    }

    @Test
    void ext4JournalledDirtyFolioWarnsForAFolioWithoutBuffersOnModernKernels() {
        // ext4_journalled_dirty_folio (v6.1, v6.12): WARN_ON_ONCE(!folio_buffers(folio)), no lock check
        Ext4Superblock sb = mount("kernel=6.12", "data=journal");
        sb.dirtyFolio(new FakePage(INO, 3).without(PageFlags.LOCKED));
        assertEquals(List.of(new FakeFsKernel.Finding("ext4_journalled_dirty_folio",
                "WARN_ON_ONCE(!folio_buffers(folio))")), kernel.warnings);
    }

    @Test
    void writepageWithoutBuffersWarnsAndDropsTheDataWithErrorsWarn() {
        Ext4Superblock sb = mount("kernel=6.12");
        FakePage page = new FakePage(INO, 9).with(PageFlags.DIRTY);
        assertEquals(0, writeback(sb, page));
        assertEquals(List.of(new FakeFsKernel.Finding("mpage_prepare_extent_to_map",
                "page 9 does not have buffers attached")), kernel.warnings);
        // v5.18 mpage_prepare_extent_to_map checks before folio_start_writeback: nothing started, no flag left
        assertTrue(kernel.started.isEmpty(), kernel.started.toString());
        assertTrue(kernel.unsubmitted.isEmpty());
        assertTrue(kernel.writes.isEmpty());
        assertTrue(kernel.bugs.isEmpty());
        assertEquals(-1, sb.mappedBlock(INO, 9));
    }

    @Test
    void ext4DirtyFolioWarnsOnceForAFolioWithoutBuffersAndOnceForAnUnlockedCleanOne() {
        // ext4_dirty_folio (fs/ext4/inode.c, v6.12; ext4_set_page_dirty since 6dcc693bc57f, v4.10):
        // WARN_ON_ONCE(!folio_test_locked && !folio_test_dirty); WARN_ON_ONCE(!folio_buffers)
        Ext4Superblock sb = mount("kernel=6.12");
        FakePage bufferless = new FakePage(INO, 3); // locked, as set_page_dirty_lock holds it
        sb.dirtyFolio(bufferless);
        sb.dirtyFolio(new FakePage(INO, 4));
        assertEquals(List.of(new FakeFsKernel.Finding("ext4_dirty_folio", "WARN_ON_ONCE(!folio_buffers(folio))")),
                kernel.warnings, "once");
        FakePage unlocked = new FakePage(INO, 5).without(PageFlags.LOCKED);
        unlocked.attachPrivate(1); // buffers, clean: only the lock is missing (a legacy set_page_dirty)
        sb.dirtyFolio(unlocked);
        assertEquals(2, kernel.warnings.size());
        assertEquals("WARN_ON_ONCE(!folio_test_locked(folio) && !folio_test_dirty(folio))",
                kernel.warnings.get(1).message());
        sb.dirtyFolio(unlocked.with(PageFlags.DIRTY));
        assertEquals(2, kernel.warnings.size(), "an already dirty folio is fine unlocked");
    }

    @Test
    void theFourFourKernelOfErrorsBugHasNoDirtyFolioWarning() {
        Ext4Superblock sb = mount();
        sb.dirtyFolio(new FakePage(INO, 3).without(PageFlags.LOCKED));
        assertTrue(kernel.warnings.isEmpty(), "ext4_set_page_dirty warns only since v4.10");
    }

    @Test
    void readPageReadsAnAllocatedBlockAndZeroesHolesAndDelallocPages() {
        Ext4Superblock sb = mount();
        FakePage written = new FakePage(INO, 0);
        sb.pageMkwrite(written);
        writeback(sb, written);
        sb.pageMkwrite(new FakePage(INO, 1));
        sb.readPage(new FakePage(INO, 0));
        sb.readPage(new FakePage(INO, 1));
        sb.readPage(new FakePage(INO, 2));
        assertEquals(List.of(new Io(INO, 0, 0)), kernel.reads);
        assertEquals(List.of(INO + ":1", INO + ":2"), kernel.zeroed);
    }

    @Test
    void releasePageRefusesDirtyPages() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 0).with(PageFlags.DIRTY);
        sb.pageMkwrite(page);
        assertFalse(sb.releasePage(page));
        assertTrue(page.hasPrivate());
    }

    @Test
    void releasePageRefusesPagesUnderWriteback() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        page.with(PageFlags.WRITEBACK);
        assertFalse(sb.releasePage(page));
        assertTrue(page.hasPrivate());
    }

    @Test
    void releasePageDetachesTheBuffersOfCleanPages() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 0);
        sb.pageMkwrite(page);
        writeback(sb, page);
        assertTrue(sb.releasePage(page));
        assertFalse(page.hasPrivate());
        assertEquals(1, page.detaches);
        assertTrue(sb.releasePage(page)); // nothing left to drop
        assertEquals(1, page.detaches);
        assertEquals(0, sb.mappedBlock(INO, 0)); // the block stays mapped
    }

    @Test
    void invalidatePageDropsBuffersAndTheReservation() {
        Ext4Superblock sb = mount();
        FakePage page = new FakePage(INO, 0).with(PageFlags.DIRTY);
        sb.pageMkwrite(page);
        assertEquals(3, sb.freeBlockCount());
        sb.invalidatePage(page);
        assertFalse(page.hasPrivate());
        assertEquals(4, sb.freeBlockCount());
        sb.invalidatePage(page); // idempotent
        assertEquals(4, sb.freeBlockCount());
    }

    @Test
    void buffersWithoutAReservationAllocateAtWritebackOrFailWithEnospc() {
        kernel = new FakeFsKernel(1);
        Ext4Superblock sb = mount();
        FakePage orphan = new FakePage(INO, 0);
        sb.pageMkwrite(orphan);
        sb.freeBlocks(INO, 0, 1); // punched while the page stayed cached with its buffers
        FakePage other = new FakePage(INO + 1, 0);
        sb.pageMkwrite(other); // takes the only block
        FakePage probe = new FakePage(INO, 0).with(PageFlags.DIRTY); // the same page as writeback sees it
        probe.attachPrivate(1);
        probe.without(PageFlags.DIRTY);
        assertEquals(Errno.ENOSPC.negative(), sb.writepage(probe));
        assertFalse(probe.test(PageFlags.WRITEBACK), "a failed writepage leaves no PG_writeback behind");
        assertEquals(Errno.ENOSPC.negative(), writeback(sb, orphan));
        assertTrue(kernel.started.isEmpty(), "ext4_map_blocks failed before folio_start_writeback");
        assertTrue(kernel.writes.isEmpty());
    }

    @Test
    void dataCsumOnAsksForStableWrites() {
        assertTrue(mount("data_csum=on").stableWrites());
        assertFalse(mount().stableWrites());
    }
}
