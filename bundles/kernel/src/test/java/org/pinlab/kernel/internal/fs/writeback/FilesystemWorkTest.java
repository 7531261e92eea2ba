package org.pinlab.kernel.internal.fs.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.mm.OpenFile;
import org.pinlab.kernel.internal.mm.memory.UserAccess;

/**
 * A filesystem's folio work ({@code FsKernel.queueFolioWork}): {@code queue_work} with a folio
 * reference, then a kworker that takes {@code folio_lock}, runs the work only on a folio still
 * in its file, unlocks and puts (kernel/workqueue.c, v6.12; the frame of btrfs's
 * {@code btrfs_writepage_fixup_worker}).
 */
class FilesystemWorkTest {

    private static final long US = Rig.US;

    @Test
    void theWorkRunsInAKworkerWithTheFolioLockedOnceItsHolderUnlocks() {
        Rig r = new Rig();
        List<String> ran = new ArrayList<>();
        long[] ranAt = {-1};
        int[] refsQueued = {-1};
        int[] pfn = {-1};
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> {
                    pfn[0] = r.pfnOf(0);
                    return r.k.pageLocks.lockPage(pfn[0]); // someone holds the folio lock for a while
                })
                .then(50 * US, t -> {
                    int before = r.k.frames.refcount(pfn[0]);
                    r.mount.queueFolioWork("test_fixup", r.k.filemap.page(pfn[0]), p -> {
                        ran.add(r.k.engine.current().name() + " locked=" + p.test(PageFlags.LOCKED));
                        ranAt[0] = r.k.engine.now();
                    });
                    refsQueued[0] = r.k.frames.refcount(pfn[0]) - before;
                })
                .then(0, t -> r.k.pageLocks.unlockPage(pfn[0])); // 50 us later
        r.runUntil(Rig.MS);
        assertEquals(1, refsQueued[0], "folio_get at queue time");
        assertEquals(List.of("kworker/u8:fs-work locked=true"), ran);
        assertTrue(ranAt[0] >= 50 * US, "it waited for the folio lock: ran at " + ranAt[0]);
        assertFalse(r.k.frames.test(pfn[0], PageFlags.LOCKED), "unlocked after the work");
    }

    @Test
    void aFolioTruncatedBeforeTheKworkerRunsIsNotWorkedOn() {
        Rig r = new Rig();
        List<Integer> ran = new ArrayList<>();
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> r.k.pageLocks.lockPage(r.pfnOf(0)))
                .then(0, t -> {
                    int pfn = r.pfnOf(0);
                    r.mount.queueFolioWork("test_fixup", r.k.filemap.page(pfn), p -> ran.add(p.index()));
                    // truncate_inode_folio under the folio lock, before the kworker can take it
                    r.k.rmap.tryToUnmap(pfn);
                    r.k.filemap.deleteFromPageCache(pfn);
                    r.k.refs.putPage(pfn);
                    r.k.pageLocks.unlockPage(pfn);
                });
        r.runUntil(Rig.MS);
        assertTrue(ran.isEmpty(), "the folio left the file: " + ran);
        assertEquals(0, r.count(FindingKind.REFCOUNT_UNDERFLOW));
        assertEquals(0, r.count(FindingKind.USE_AFTER_FREE));
    }

    @Test
    void aFilesystemsDelayedWorkRunsInAKworkerAfterItsDelayAndCoalescesWhilePending() {
        Rig r = new Rig();
        List<Long> ran = new ArrayList<>();
        org.pinlab.api.fs.FsWork work = r.mount.newWork("test_delayed", () -> ran.add(r.k.engine.now()));
        assertTrue(work.queueDelayed(300 * US));
        assertFalse(work.queue(), "pending: queue_work returns false");
        assertTrue(work.pending());
        r.runUntil(299 * US);
        assertTrue(ran.isEmpty());
        r.runUntil(Rig.MS);
        assertEquals(List.of(300 * US), ran);
        assertFalse(work.pending());
        assertTrue(work.queue(), "idle again: queued anew");
        r.runUntil(2 * Rig.MS);
        assertEquals(2, ran.size());
    }

    @Test
    void mappingSetErrorReachesTheNextFsyncOnce() {
        Rig r = new Rig();
        OpenFile file = OpenFile.open(r.file);
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .then(0, t -> r.mount.mappingSetError(r.k.filemap.page(r.pfnOf(0)), Errno.ENOSPC.negative()));
        r.runUntil(Rig.MS);
        assertEquals(Errno.ENOSPC.negative(), file.checkAndAdvanceWbErr());
        assertEquals(0, file.checkAndAdvanceWbErr());
    }
}
