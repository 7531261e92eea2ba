package org.pinlab.api.fs;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A filesystem's work item on its workqueue ({@code struct work_struct} /
 * {@code struct delayed_work}, kernel/workqueue.c, v6.12), made by {@link FsKernel#newWork}.
 * Its function runs later, in a kworker task of its own, as one atomic step.
 * {@code flush_work} is the kernel's: no SPI method may block, so none can wait for one.
 */
@ProviderType
public interface FsWork {

    /** {@code queue_work}: false if it is already pending (queueing coalesces until it runs). */
    boolean queue();

    /** {@code queue_delayed_work}: runs once {@code delayNs} of simulated time have passed; false if pending. */
    boolean queueDelayed(long delayNs);

    /** {@code work_pending}: queued and not started yet. */
    boolean pending();
}
