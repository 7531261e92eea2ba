package org.pinlab.strategies.internal.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pinlab.api.policy.ReclaimPolicy.Action;
import org.pinlab.strategies.internal.PinnedPage;

class ReclaimPolicyTest {

    @Test
    void legacyReclaimsPinnedPagesAsBeforeLinux64() {
        assertEquals(Action.RECLAIM, new ReclaimPinnedPages().onPinnedPage(PinnedPage.clean()));
    }

    @Test
    void keepPrivateKeepsPinnedPagesActive() {
        assertEquals(Action.KEEP_ACTIVE, new KeepPinnedPagesActive().onPinnedPage(PinnedPage.clean()));
    }

    @Test
    void onlyKeepPrivateEarlyAsksBeforeTryToUnmapWhereTheMergedFixAsksAfterIt() {
        // d824ec2a1546 (v6.4): folio_maybe_dma_pinned in shrink_folio_list after try_to_unmap
        assertEquals(Action.KEEP_ACTIVE, new KeepPinnedPagesActiveEarly().onPinnedPage(PinnedPage.clean()));
        assertTrue(new KeepPinnedPagesActiveEarly().checksBeforeUnmap());
        assertFalse(new KeepPinnedPagesActive().checksBeforeUnmap());
        assertFalse(new IsolatePinnedPages().checksBeforeUnmap());
    }

    @Test
    void isolateLruTakesPinnedPagesOffTheLru() {
        assertEquals(Action.ISOLATE, new IsolatePinnedPages().onPinnedPage(PinnedPage.clean()));
    }
}
