package org.pinlab.strategies.internal.truncate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.pinlab.api.policy.TruncatePolicy.Action;
import org.pinlab.strategies.internal.PinnedPage;

class TruncatePolicyTest {

    @Test
    void proceedFreesPinnedPagesAnyway() {
        assertEquals(Action.PROCEED, new ProceedWithTruncate().onPinnedPage(PinnedPage.clean()));
    }

    @Test
    void failRefusesTheTruncateWithEbusy() {
        assertEquals(Action.FAIL, new FailTruncate().onPinnedPage(PinnedPage.clean()));
    }

    @Test
    void waitWaitsUntilThePageIsIdle() {
        assertEquals(Action.WAIT, new WaitForIdle().onPinnedPage(PinnedPage.clean()));
    }

    @Test
    void revokeAsksThePinningDriverToLetGo() {
        assertEquals(Action.REVOKE, new RevokePins().onPinnedPage(PinnedPage.clean()));
    }

    @Test
    void deferFreeLetsTruncateSucceedAndFreesAtUnpin() {
        assertEquals(Action.DEFER_FREE, new DeferFree().onPinnedPage(PinnedPage.clean()));
    }
}
