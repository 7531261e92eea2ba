package org.pinlab.kernel.internal.mm.backing;

import org.pinlab.sim.WaitQueue;

/**
 * {@code struct bdi_writeback} (mm/backing-dev.c): where the flusher sleeps, and whether
 * someone asked for writeback sooner than the period (sync, the dirty threshold, reclaim).
 */
public final class BdiWriteback {

    public final WaitQueue flusherWait = new WaitQueue("wb_wait");
    /** Set when something asks for writeback sooner than the period; the flusher clears it. */
    public boolean writebackRequested;

    /** {@code wakeup_flusher_threads}. */
    public void wakeFlusher() {
        writebackRequested = true;
        flusherWait.wakeAll();
    }
}
