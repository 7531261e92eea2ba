package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.OpenFile;
import org.pinlab.testing.FsCallLog.Call;
import org.pinlab.testing.FsCallLog.Callback;

/**
 * The contract of the filesystem SPI ({@link org.pinlab.api.fs.Superblock}), run inside the
 * model kernel: extend it and return your type from {@link #filesystemType()}.
 * <pre>
 * class MyFsContractTest extends FilesystemContract {
 *     &#64;Override protected FilesystemType filesystemType() { return new MyFsType(); }
 * }
 * </pre>
 * Each test mounts the type at {@code /mnt} with {@link #mountOptions()}, creates a file of
 * four pages mapped shared by one process, drives the kernel paths a user program and a driver
 * would, and checks what the filesystem was asked and did. A DAX mount (the kernel keeps no
 * page cache for it) and a mount without a backing store (tmpfs) are held to what the kernel
 * asks of them instead, as each test says.
 */
public abstract class FilesystemContract {

    private static final long MS = ContractMachine.MS;

    /** The filesystem type under test; a new one per call is fine (types are stateless). */
    protected abstract FilesystemType filesystemType();

    /** The options every test mounts with; none by default. */
    protected Map<String, String> mountOptions() {
        return Map.of();
    }

    private FsRig rig() {
        return new FsRig(filesystemType(), mountOptions());
    }

    private static String name(FsRig r) {
        return r.sb.typeName();
    }

    /**
     * {@code ->writepage} (called from {@code write_cache_pages}, mm/page-writeback.c, v6.12) gets
     * a locked page whose dirty bit {@code folio_clear_dirty_for_io} cleared and that is not under
     * writeback; it returns having started writeback and submitted the bio
     * ({@code folio_start_writeback} + {@code submit_bio}), or redirtied it
     * ({@code folio_redirty_for_writepage}), or failed it, never leaving PG_writeback without
     * I/O. After fsync waited for the I/O, the disk holds each page's data.
     */
    @Test
    public void writepageLeavesItsPageUnderIoOrRedirtiedAndTheDataReachesDisk() {
        FsRig r = rig();
        OpenFile f = OpenFile.open(r.file);
        Fsync[] fsync = new Fsync[1];
        Script app = r.cm.task("app");
        for (int i = 0; i < FsRig.PAGES; i++) {
            int index = i;
            app.call(() -> r.store(index));
        }
        boolean[] returned = new boolean[1];
        app.call(() -> fsync[0] = r.fsync(f)).then(() -> returned[0] = true);
        r.cm.runUntil(50 * MS);
        assertNoKernelBug(r);
        assertFsyncReturned(r, returned[0]);
        assertEquals(0, fsync[0].result, () -> name(r) + ": fsync (vfs_fsync_range) of a file whose writeback"
                + " had no error must return 0; " + r.cm.describeFindings());
        List<Call> writepages = r.log.of(Callback.WRITEPAGE);
        if (!r.sb.hasBackingStore() || r.sb.dax()) {
            assertTrue(writepages.isEmpty(), name(r) + ": the kernel never writes back a "
                    + (r.sb.dax() ? "DAX mount" : "mount without a backing store") + ", yet writepage ran: " + writepages);
            for (int i = 0; i < FsRig.PAGES; i++) {
                long token = r.memoryToken(i);
                assertTrue(token != 0, name(r) + ": page " + i + " lost the store made to it");
                if (r.sb.dax()) {
                    assertEquals(token, r.diskToken(i), name(r) + ": a store to a DAX mapping is durable once made"
                            + " (dax_iomap_fault mapped the pmem block); mappedBlock of page " + i + " holds other data");
                }
            }
            return;
        }
        assertFalse(writepages.isEmpty(), name(r) + ": fsync of four dirty pages called no writepage");
        for (Call c : writepages) {
            checkWritepage(r, c);
        }
        for (int i = 0; i < FsRig.PAGES; i++) {
            assertFalse((r.flags(i) & PageFlags.WRITEBACK) != 0, name(r) + ": page " + i + " is still under"
                    + " writeback after fsync waited for it (__filemap_fdatawait_range): folio_end_writeback never came");
            assertEquals(r.memoryToken(i), r.diskToken(i), name(r) + ": after fsync the block mappedBlock("
                    + r.file.ino + ", " + i + ") = " + r.sb.mappedBlock(r.file.ino, i) + " must hold the page's data "
                    + r.memoryToken(i) + " (the write bio's content token); it holds " + r.diskToken(i));
        }
        r.cm.machine.finish();
        assertNoFindings(r, EnumSet.of(FindingKind.LOST_WRITE, FindingKind.FSYNC_LIED, FindingKind.BUG));
    }

    private static void checkWritepage(FsRig r, Call c) {
        String what = name(r) + "_writepage of inode " + c.inode + " page " + c.index + " (" + c + ")";
        assertTrue(c.entry(PageFlags.LOCKED), what + ": write_cache_pages must hand over a locked page");
        assertFalse(c.entry(PageFlags.DIRTY), what + ": folio_clear_dirty_for_io must have cleaned it");
        assertFalse(c.entry(PageFlags.WRITEBACK), what + ": the page must not already be under writeback");
        if (c.exit(PageFlags.WRITEBACK)) {
            assertTrue(c.submitted, what + ": returned with PG_writeback set but submitted no write bio; nothing"
                    + " will ever call folio_end_writeback (call FsKernel.submitWrite, or endWritebackUnsubmitted)");
        } else if (!c.startedWriteback || c.endedUnsubmitted) {
            assertTrue(c.result < 0 || c.exit(PageFlags.DIRTY) || c.submitted, what + ": returned 0 without"
                    + " starting writeback (folio_start_writeback) and without redirtying the page"
                    + " (folio_redirty_for_writepage): its data is dropped, clean and never written");
        }
    }

    /**
     * A write fault on a clean page of a shared file mapping ({@code do_shared_fault} /
     * {@code wp_page_shared} -> {@code do_page_mkwrite}, mm/memory.c, v6.12) calls
     * {@code ->page_mkwrite} on the locked, still clean page, before {@code folio_mark_dirty};
     * the store then reaches disk on fsync. A DAX mount is never asked ({@code dax_iomap_fault}).
     */
    @Test
    public void aWriteFaultOnACleanSharedPageCallsPageMkwriteBeforeTheDirtying() {
        FsRig r = rig();
        OpenFile f = OpenFile.open(r.file);
        Fsync[] fsync = new Fsync[1];
        int[] mark = new int[1];
        boolean[] returned = new boolean[1];
        r.cm.task("app").call(() -> r.load(0)).then(() -> mark[0] = r.log.mark()).call(() -> r.store(0))
                .call(() -> fsync[0] = r.fsync(f)).then(() -> returned[0] = true);
        r.cm.runUntil(50 * MS);
        assertNoKernelBug(r);
        List<Call> mkwrites = r.log.since(mark[0], Callback.PAGE_MKWRITE, r.file.ino, 0);
        if (r.sb.dax() || !r.sb.needsPageMkwrite()) {
            assertTrue(r.sb.dax() ? r.log.of(Callback.PAGE_MKWRITE).isEmpty() : true, name(r)
                    + ": the kernel never calls page_mkwrite on a DAX mount, yet it ran");
        } else {
            assertEquals(1, mkwrites.size(), name(r) + " needsPageMkwrite, so the write fault on clean page 0"
                    + " must call page_mkwrite once (do_page_mkwrite); calls: " + mkwrites);
            Call mkwrite = mkwrites.get(0);
            assertTrue(mkwrite.entry(PageFlags.LOCKED), name(r) + "_page_mkwrite runs on a locked page: " + mkwrite);
            assertFalse(mkwrite.entry(PageFlags.DIRTY), name(r) + "_page_mkwrite must see the page still clean: "
                    + mkwrite);
            List<Call> dirtied = r.log.since(mark[0], Callback.DIRTY_FOLIO, r.file.ino, 0);
            assertFalse(dirtied.isEmpty(), name(r) + ": the write fault never dirtied page 0 (folio_mark_dirty ->"
                    + " dirtyFolio)");
            assertTrue(dirtied.get(0).seq > mkwrite.seq, name(r) + ": page 0 was dirtied (" + dirtied.get(0)
                    + ") before page_mkwrite (" + mkwrite + ")");
        }
        assertFsyncReturned(r, returned[0]);
        assertEquals(0, fsync[0].result, name(r) + ": fsync after the store must return 0");
        if (r.sb.hasBackingStore()) {
            assertEquals(r.memoryToken(0), r.diskToken(0), name(r) + ": the store through the mapping must reach"
                    + " disk on fsync (vfs_fsync_range); the block holds " + r.diskToken(0));
        }
        assertNoFindings(r, EnumSet.of(FindingKind.DIRTY_WITHOUT_MKWRITE, FindingKind.FSYNC_LIED));
    }

    /**
     * {@code folio_mark_dirty} (mm/page-writeback.c, v6.12) calls {@code ->dirty_folio} on every
     * dirtying of a page: a write fault ({@code fault_dirty_shared_page}), {@code write(2)}
     * ({@code generic_perform_write} -> {@code ->write_end}) and a driver's
     * {@code unpin_user_pages_dirty_lock} of a page writeback cleaned meanwhile.
     */
    @Test
    public void everyDirtyingPathCallsDirtyFolio() {
        FsRig r = rig();
        assumeFalse(r.sb.dax(), name(r) + " is DAX: the kernel keeps no page cache for it, so folio_mark_dirty"
                + " and its dirty_folio hook never run (Superblock.dax)");
        OpenFile f = OpenFile.open(r.file);
        DmaMapping dma = r.dma(2, 1);
        int[] beforeUnpin = new int[1];
        boolean[] pinned = new boolean[1];
        // the DMA write after writeback cleaned the pinned page is seed 001's race: the kernel's oracle
        // reports it (DIRTY_WITHOUT_MKWRITE), which is not the filesystem's doing
        r.cm.task("app").call(() -> r.store(0)).call(() -> r.write(1)).call(dma::map)
                .then(() -> pinned[0] = dma.mapped()).call(() -> r.fsync(f)).then(() -> beforeUnpin[0] = r.log.mark())
                .then(() -> dma.deviceWrite(0)).call(() -> dma.unmap(true));
        r.cm.runUntil(50 * MS);
        assertNoKernelBug(r);
        assertFalse(r.log.of(Callback.DIRTY_FOLIO, r.file.ino, 0).isEmpty(), name(r) + ": a store through the"
                + " mapping dirtied page 0 without dirtyFolio (fault_dirty_shared_page -> folio_mark_dirty)");
        assertFalse(r.log.of(Callback.DIRTY_FOLIO, r.file.ino, 1).isEmpty(), name(r) + ": write(2) dirtied page 1"
                + " without dirtyFolio (generic_perform_write -> ->write_end -> folio_mark_dirty)");
        assertTrue(pinned[0], () -> name(r) + ": a driver could not pin page 2: error " + dma.error + "; "
                + r.cm.describeFindings());
        if (r.sb.hasBackingStore()) {
            assertFalse(r.log.since(beforeUnpin[0], Callback.DIRTY_FOLIO, r.file.ino, 2).isEmpty(), name(r)
                    + ": fsync cleaned pinned page 2, then unpin_user_pages_dirty_lock dirtied it again without"
                    + " dirtyFolio (set_page_dirty_lock -> folio_mark_dirty)");
        } else {
            // no writeback ever cleans the page, so unpin_user_pages_dirty_lock finds it dirty and leaves it
            assertTrue((r.flags(2) & PageFlags.DIRTY) != 0, name(r) + ": page 2, dirtied by the pin's write"
                    + " fault and never written back, is no longer dirty");
        }
    }

    /**
     * {@code ftruncate(2)}: {@code truncate_pagecache} -> {@code truncate_inode_pages_range}
     * (mm/truncate.c, v6.12) takes each page past the new size out of the page cache, calling
     * {@code ->invalidate_folio} on it, and the filesystem then frees the blocks behind them
     * ({@code ext4_truncate}, {@code xfs_itruncate_extents}); nothing touches a freed frame.
     */
    @Test
    public void truncateRemovesThePagesInvalidatesThemAndFreesTheirBlocks() {
        FsRig r = rig();
        OpenFile f = OpenFile.open(r.file);
        Script app = r.cm.task("app");
        for (int i = 0; i < FsRig.PAGES; i++) {
            int index = i;
            app.call(() -> r.store(index));
        }
        int[] mark = new int[1];
        boolean[] hadPrivate = new boolean[FsRig.PAGES];
        app.call(() -> r.fsync(f)).then(() -> {
            mark[0] = r.log.mark();
            for (int i = 0; i < FsRig.PAGES; i++) {
                hadPrivate[i] = (r.flags(i) & PageFlags.PRIVATE) != 0;
            }
        }).call(() -> r.truncate(1));
        r.cm.runUntil(50 * MS);
        assertNoKernelBug(r);
        long kept = r.memoryToken(0);
        for (int i = 1; i < FsRig.PAGES; i++) {
            assertEquals(-1, r.pfn(i), name(r) + ": page " + i + " is past the new size (1 page) but still in the"
                    + " page cache after truncate_inode_pages_range");
            assertEquals(-1, r.sb.mappedBlock(r.file.ino, i), name(r) + ": the block of truncated page " + i
                    + " is still mapped: freeBlocks did not free it");
            List<Call> invalidated = r.log.since(mark[0], Callback.INVALIDATE_PAGE, r.file.ino, i);
            if (hadPrivate[i]) {
                // truncate_cleanup_folio: if (folio_needs_release(folio)) folio_invalidate(folio, 0, ...)
                assertFalse(invalidated.isEmpty(), name(r) + ": page " + i + " had private data (PG_private) and"
                        + " left the page cache without invalidatePage (->invalidate_folio)");
            }
            for (Call c : invalidated) {
                assertFalse(c.exit(PageFlags.PRIVATE), name(r) + "_invalidate_folio must drop the page's private"
                        + " data unconditionally: " + c);
            }
        }
        List<Call> frees = r.log.of(Callback.FREE_BLOCKS).stream().filter(c -> c.seq >= mark[0]).toList();
        boolean[] freed = new boolean[FsRig.PAGES];
        for (Call c : frees) {
            assertEquals(0, c.stillCached, name(r) + ": freeBlocks(" + c.index + ", " + c.to + ") ran while "
                    + c.stillCached + " of its pages were still cached; the kernel frees blocks after the pages left");
            for (int i = Math.max(0, c.index); i < Math.min(FsRig.PAGES, c.to); i++) {
                freed[i] = true;
            }
        }
        for (int i = 1; i < FsRig.PAGES; i++) {
            assertTrue(freed[i], name(r) + ": truncate to 1 page did not call freeBlocks over page " + i + "; calls: "
                    + frees);
        }
        assertEquals(kept, r.memoryToken(0), name(r) + ": page 0, inside the new size, lost its data");
        if (r.sb.hasBackingStore()) {
            assertEquals(kept, r.diskToken(0), name(r) + ": truncate to 1 page freed or overwrote page 0's block");
        }
        r.cm.machine.finish();
        assertNoFindings(r, EnumSet.of(FindingKind.USE_AFTER_FREE, FindingKind.LOST_WRITE));
    }

    /**
     * A write bio that fails ({@code BLK_STS_IOERR}) is recorded with {@code mapping_set_error}
     * and reported by the next fsync of every open file once, errseq style
     * ({@code file_check_and_advance_wb_err}, mm/filemap.c; lib/errseq.c, v6.12): -EIO to each file
     * open before it, then 0; a file opened after the error was seen gets 0.
     */
    @Test
    public void aWritebackIoErrorReachesEachFsyncOnce() {
        FsRig r = rig();
        assumeTrue(r.sb.hasBackingStore(), name(r) + " has no backing store (hasBackingStore false): writeback"
                + " does no I/O, so no writeback error can arise (noop_fsync)");
        assumeFalse(r.sb.dax(), name(r) + " is DAX: the model's fsync of a DAX mount issues no I/O"
                + " (dax_writeback_mapping_range only flushes caches; stores are durable at once), so there is no"
                + " write bio to fail");
        OpenFile a = OpenFile.open(r.file);
        OpenFile b = OpenFile.open(r.file);
        Map<String, Fsync> fsyncs = new HashMap<>();
        java.util.Set<String> returned = new java.util.HashSet<>();
        OpenFile[] late = new OpenFile[1];
        r.fsKernel().failWrites(r.file.ino, 0);
        r.cm.task("app").call(() -> r.store(0))
                .call(() -> fsyncs.computeIfAbsent("a1", x -> r.fsync(a))).then(() -> returned.add("a1"))
                .call(() -> fsyncs.computeIfAbsent("a2", x -> r.fsync(a))).then(() -> returned.add("a2"))
                .call(() -> fsyncs.computeIfAbsent("b1", x -> r.fsync(b))).then(() -> returned.add("b1"))
                .then(() -> late[0] = OpenFile.open(r.file))
                .call(() -> fsyncs.computeIfAbsent("c1", x -> r.fsync(late[0]))).then(() -> returned.add("c1"));
        r.cm.runUntil(50 * MS);
        assertNoKernelBug(r);
        assertTrue(r.fsKernel().failedWrites() > 0, name(r) + ": fsync of dirty page 0 submitted no write bio for it");
        int eio = Errno.EIO.negative();
        assertFsyncReturned(r, returned.size() == 4);
        assertEquals(eio, result(fsyncs, "a1", r), name(r) + ": the first fsync after a failed write bio must"
                + " return -EIO (file_check_and_advance_wb_err)");
        assertEquals(0, result(fsyncs, "a2", r), name(r) + ": the error was reported to this file once already;"
                + " its next fsync must return 0 (errseq)");
        assertEquals(eio, result(fsyncs, "b1", r), name(r) + ": a second file open before the error must see it"
                + " once too (errseq_check_and_advance per struct file)");
        assertEquals(0, result(fsyncs, "c1", r), name(r) + ": a file opened after the error was seen starts past"
                + " it (errseq_sample) and its fsync must return 0");
        assertFalse((r.flags(0) & PageFlags.WRITEBACK) != 0, name(r) + ": page 0 is left under writeback after"
                + " its bio failed");
        assertNoFindings(r, EnumSet.of(FindingKind.FSYNC_LIED));
    }

    private static int result(Map<String, Fsync> fsyncs, String which, FsRig r) {
        Fsync f = fsyncs.get(which);
        if (f == null) {
            fail(name(r) + ": fsync " + which + " never ran; " + r.cm.describeFindings());
        }
        return f.result;
    }

    /** {@code parse_options} / {@code fs_parse}: an option the type does not know fails the mount, named. */
    @Test
    public void aMountOptionTheTypeRefusesIsAnIllegalArgumentNamingIt() {
        String option = "pinlab-contract-no-such-option";
        Map<String, String> options = new HashMap<>(mountOptions());
        options.put(option, "1");
        FilesystemType type = filesystemType();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FsRig(type, options), type.name() + ".mount must refuse the unknown option " + option
                        + " with IllegalArgumentException (FilesystemType.mount)");
        assertTrue(e.getMessage() != null && e.getMessage().contains(option), type.name() + ": the refusal must name"
                + " the option '" + option + "', said: " + e.getMessage());
    }

    private static void assertFsyncReturned(FsRig r, boolean returned) {
        assertTrue(returned, () -> name(r) + ": fsync (vfs_fsync_range) never returned; it waits for the"
                + " writeback the filesystem started to end. " + r.cm.describeFindings());
    }

    private static void assertNoKernelBug(FsRig r) {
        assertNoFindings(r, EnumSet.of(FindingKind.BUG, FindingKind.DEADLOCK));
    }

    private static void assertNoFindings(FsRig r, EnumSet<FindingKind> kinds) {
        assertTrue(r.cm.findings(kinds).isEmpty(), () -> name(r) + ": the run raised " + kinds + " findings; "
                + r.cm.describeFindings());
    }
}
