package org.pinlab.strategies.internal.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void isolateLruTakesPinnedPagesOffTheLru() {
        assertEquals(Action.ISOLATE, new IsolatePinnedPages().onPinnedPage(PinnedPage.clean()));
    }
}
