package org.pinlab.kernel.internal.mm;

/**
 * {@code struct mmu_interval_notifier}: what a device registers on a user range to hear that
 * a PTE under it is about to change. Implemented by the device host, above this package.
 */
public interface MmuNotifier {

    /** {@code mmu_notifier_invalidate_range_start} for slot {@code slot} of a watched range. */
    void invalidate(UserRange range, int slot, boolean unmap);
}
