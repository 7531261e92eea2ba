package org.pinlab.kernel.internal.mm.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.Rig;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.memory.UserAccess;

/**
 * A writepage's third result: {@code folio_redirty_for_writepage} (mm/page-writeback.c, v6.12)
 * gives the page back dirty, counted in {@code wbc->pages_skipped}, without a writeback flag.
 */
class RedirtyForWritepageTest {

    private static final long MS = Rig.MS;

    @Test
    void folioRedirtyForWritepageLeavesThePageDirtyWithoutWritebackAndCountsItSkipped() {
        Rig r = new Rig(4096, 8, Map.of("redirty", "1"));
        WriteCachePages[] pass = new WriteCachePages[1];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> pass[0] = new WriteCachePages(r.k.writeback, r.file, false));
        r.runUntil(MS);
        int pfn = r.pfnOf(0);
        assertEquals(1, pass[0].pagesSkipped, "wbc->pages_skipped");
        assertTrue(r.k.frames.test(pfn, PageFlags.DIRTY), "given back dirty");
        assertFalse(r.k.frames.test(pfn, PageFlags.WRITEBACK), "no writeback was started");
        assertFalse(r.k.frames.test(pfn, PageFlags.LOCKED));
        assertEquals(1, r.k.vm.vmstat(Vmstat.NR_FILE_DIRTY), "counted dirty again");
        assertEquals(1, r.fs.dirtyFolios, "filemap_dirty_folio: ->dirty_folio is not called again");
        assertEquals(0, r.k.oracles.durable(r.file, 0), "nothing reached the disk");
    }

    @Test
    void aRedirtiedPageIsWrittenByTheNextPass() {
        Rig r = new Rig(4096, 8, Map.of("redirty", "1"));
        WriteCachePages[] passes = new WriteCachePages[2];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> passes[0] = new WriteCachePages(r.k.writeback, r.file, false))
                .call(() -> passes[1] = new WriteCachePages(r.k.writeback, r.file, true));
        r.runUntil(10 * MS);
        assertEquals(1, passes[0].pagesSkipped);
        assertEquals(0, passes[1].pagesSkipped);
        assertEquals(r.k.oracles.latest(r.file, 0), r.k.oracles.durable(r.file, 0));
        assertFalse(r.k.frames.test(r.pfnOf(0), PageFlags.DIRTY));
    }

    @Test
    void anFsyncWhoseFilesystemRedirtiedThePageAndReturnedSuccessLies() {
        // no error was recorded, so fsync returns 0; the data is still only in memory
        Rig r = new Rig(4096, 8, Map.of("redirty", "1"));
        Fsync[] fsync = new Fsync[1];
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true))
                .call(() -> fsync[0] = new Fsync(r.k.fsWriteback, r.file));
        r.runUntil(10 * MS);
        assertEquals(0, fsync[0].result);
        assertEquals(1, r.count(FindingKind.FSYNC_LIED), r.machine.findings().toString());
        assertNotEquals(r.k.oracles.latest(r.file, 0), r.k.oracles.durable(r.file, 0));
    }

    @Test
    void onlyWritepageMayRedirtyItsLockedPage() {
        Rig r = new Rig();
        r.task("app").call(() -> new UserAccess(r.k.memory, r.mm, r.vpn(0), true));
        r.runUntil(MS);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> r.mount.redirtyForWritepage(r.k.filemap.page(r.pfnOf(0))));
        assertTrue(e.getMessage().contains("folio_redirty_for_writepage of page 0"), e.getMessage());
    }
}
