package org.pinlab.kernel.internal.frames;

import org.pinlab.api.gup.PinAccounting;
import org.pinlab.sim.WaitQueue;

/**
 * Where a machine's folios keep their pins: the pin tracker's accounting (the
 * {@code _pincount} / {@code GUP_PIN_COUNTING_BIAS} layout it chose), absent on a machine
 * built without one, and the model-only wait for a page's pins to go.
 */
public final class FolioPins {

    private PinAccounting accounting;
    private PinBalance balance;
    /** Tasks waiting for a page's pins to go ({@code folio_wait_dma_unpinned}, a model-only wait). */
    public final WaitQueue unpinWait = new WaitQueue("dma_unpinned");

    /** Takes the accounting every FOLL_GET and FOLL_PIN grab goes through from now on. */
    public void use(PinAccounting accounting) {
        this.balance = accounting == null ? null : new PinBalance(accounting);
        this.accounting = balance;
    }

    /** The pin accounting; fails clearly on a machine built without a pin tracker. */
    public PinAccounting accounting() {
        if (accounting == null) {
            throw new IllegalStateException("this machine has no pin tracker: build it with pinTracker(...)");
        }
        return accounting;
    }

    /** Whether the machine was built with a pin tracker. */
    public boolean hasTracker() {
        return accounting != null;
    }

    /** Whether a page may be pinned for DMA ({@code folio_maybe_dma_pinned}); false without a tracker. */
    public boolean maybeDmaPinned(int pfn) {
        return accounting != null && accounting.maybeDmaPinned(pfn);
    }

    /**
     * Whether a FOLL_PIN grab holds the page now, in-flight GUP walks included: what
     * {@link #maybeDmaPinned} can only estimate. Model-only knowledge the kernel lacks (a small
     * folio's pins are a refcount bias, so {@code folio_maybe_dma_pinned} is true for 1,024
     * plain references too); a verdict uses it to say when it rests on a possible false positive.
     */
    public boolean heldByPin(int pfn) {
        return balance != null && balance.held(pfn);
    }

    /**
     * How a verdict names a page {@code folio_maybe_dma_pinned} reports: "pinned" when a
     * FOLL_PIN grab holds it, else "maybe pinned" with why it may not be.
     */
    public String describeMaybePinned(int pfn) {
        return heldByPin(pfn) ? "it is pinned"
                : "it is maybe pinned (false positive possible: refcount >= bias without a pin)";
    }
}
