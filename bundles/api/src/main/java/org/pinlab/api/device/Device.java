package org.pinlab.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One attached device: a state machine the kernel steps. Each {@link #step} is one atomic
 * step of simulated time; it may touch frames it has mapped ({@link DeviceContext#deviceWrite})
 * and may start at most one operation that takes time ({@code pin}, {@code release},
 * {@code fault}, {@code sleep}); the kernel completes it, possibly across many steps of other
 * tasks, and calls {@code step} again with its result in the context.
 */
@ConsumerType
public interface Device {

    /**
     * The device's next atomic step.
     *
     * @return false when the device is done; the kernel then releases whatever it still maps
     */
    boolean step(DeviceContext context);

    /**
     * A revoke request (a truncate or hole punch under the {@code revoke} policy, or the
     * driver's bundle going away): stop DMA to {@code map} and release it at the next step.
     * Runs inside another task's step; must not block.
     *
     * @return true if the device will release the mapping; false if it cannot revoke (the
     *         kernel then waits for the pin to go, or reports what it had to drop)
     */
    default boolean revoke(DmaMap map) {
        return false;
    }

    /**
     * An MMU interval notifier invalidation ({@code mmu_interval_notifier_ops->invalidate}) of
     * pages of a buffer the device registered with {@link DeviceContext#watch}: the CPU page
     * table entries are being zapped or write-protected. The device must forget the frames and
     * fault again before its next access; dirty data it wrote must be reported through
     * {@link Invalidation#setPageDirty} now. Runs inside another task's step; must not block.
     */
    default void invalidate(Invalidation invalidation) {
    }
}
