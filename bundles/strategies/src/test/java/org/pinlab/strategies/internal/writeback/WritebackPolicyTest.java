package org.pinlab.strategies.internal.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pinlab.api.policy.WritebackPolicy.Action;
import org.pinlab.strategies.internal.PinnedPage;

/** Each policy answers the same for background writeback and for fsync/sync ({@code sync}). */
class WritebackPolicyTest {

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {false, true})
    void writeWritesPinnedDirtyPagesAsTodaysKernelDoes(boolean sync) {
        assertEquals(Action.WRITE, new WritePinnedPages().onPinnedDirtyPage(PinnedPage.dirty(), sync));
    }

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {false, true})
    void skipLeavesPinnedPagesDirtyEvenForFsync(boolean sync) {
        assertEquals(Action.SKIP, new SkipPinnedPages().onPinnedDirtyPage(PinnedPage.dirty(), sync));
    }

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {false, true})
    void waitWaitsForTheUnpin(boolean sync) {
        assertEquals(Action.WAIT, new WaitForUnpin().onPinnedDirtyPage(PinnedPage.dirty(), sync));
    }

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {false, true})
    void snapshotWritesAStableBounceCopy(boolean sync) {
        assertEquals(Action.SNAPSHOT, new SnapshotPinnedPages().onPinnedDirtyPage(PinnedPage.dirty(), sync));
    }
}
