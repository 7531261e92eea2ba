package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.lab.Pluggable;

/** What {@code write_cache_pages} does with a dirty page that may be pinned for DMA. */
@ConsumerType
public interface WritebackPolicy extends Pluggable {

    enum Action {
        /** Write it as today's kernel does: clean it, write it, let the device dirty it behind our back. */
        WRITE,
        /** Leave it dirty and move on (Hillf Danton, seed 004): never synced while pinned. */
        SKIP,
        /** Wait until it is unpinned, then write it: hangs behind long-term pins. */
        WAIT,
        /** Write a stable bounce copy and keep the page dirty (Kara, Glisse; seeds 002/004). */
        SNAPSHOT
    }

    /**
     * @param page the locked, dirty page, for which {@code page_maybe_dma_pinned()} is true
     * @param sync whether this is data-integrity writeback (fsync, sync) rather than background
     */
    Action onPinnedDirtyPage(PageRef page, boolean sync);
}
