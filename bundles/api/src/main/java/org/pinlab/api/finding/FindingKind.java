package org.pinlab.api.finding;

/**
 * Every kind of finding an oracle can raise. The order is the order reports list them in;
 * a new kind goes last, since the trace hash mixes in each finding's ordinal.
 */
public enum FindingKind {
    /** A {@code BUG_ON()} in modelled code: the machine stops, as the kernel would. */
    BUG(true),
    /** A {@code WARN_ON()}: reported, the machine goes on. */
    WARN(false),
    /** A file-backed page became dirty without {@code page_mkwrite} on a filesystem that needs it. */
    DIRTY_WITHOUT_MKWRITE(false),
    /** After the final sync, the disk does not hold the last completed write. */
    LOST_WRITE(false),
    /** A page changed while under writeback on a filesystem that needs stable pages. */
    TORN_WRITE(false),
    /** A device or task wrote a frame that was freed or reallocated. */
    USE_AFTER_FREE(false),
    /** A page reference count dropped below zero, or would overflow. */
    REFCOUNT_UNDERFLOW(false),
    REFCOUNT_OVERFLOW(false),
    /** A pin was released that was never taken, or a pin count would overflow. */
    PIN_UNDERFLOW(false),
    PIN_OVERFLOW(false),
    /** A pin was still held when its owner went away. */
    PIN_LEAK(false),
    /** {@code fsync()} returned success while the data it covered was not on disk. */
    FSYNC_LIED(false),
    /** Two lock classes were taken in both orders (lockdep's "possible circular locking"). */
    LOCK_INVERSION(false),
    /** Every live task is parked and nothing can wake any of them. */
    DEADLOCK(true),
    /** A task stayed parked longer than the hung-task threshold of simulated time. */
    HUNG_TASK(false),
    /**
     * Reclaim released a file page's private data (its buffers) while the page was maybe
     * DMA-pinned ({@code folio_maybe_dma_pinned}), which {@code shrink_folio_list} forbids since
     * d824ec2a1546 (Linux 6.4): the pinning device may write the page at any time.
     */
    PINNED_PRIVATE_RECLAIMED(false);

    private final boolean stopsMachine;

    FindingKind(boolean stopsMachine) {
        this.stopsMachine = stopsMachine;
    }

    /** Whether a finding of this kind ends the run, as a BUG or a deadlock does. */
    public boolean stopsMachine() {
        return stopsMachine;
    }
}
