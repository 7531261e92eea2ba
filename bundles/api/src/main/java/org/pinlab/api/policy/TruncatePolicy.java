package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.lab.Pluggable;

/** What truncate and hole punch do with a page (or DAX block) that may be pinned for DMA. */
@ConsumerType
public interface TruncatePolicy extends Pluggable {

    enum Action {
        /** Remove and free it anyway: the device may write into freed memory. */
        PROCEED,
        /** Fail the truncate with -EBUSY (Gunthorpe, seed 002). */
        FAIL,
        /** Wait until it is unpinned ({@code dax_layout_busy_page} style): hangs behind long-term pins. */
        WAIT,
        /** Ask the pinning driver to stop DMA and unpin, then wait for those that cannot (Williams, seed 002). */
        REVOKE,
        /** Let truncate succeed, free the blocks only at unpin (seed 002 comments). */
        DEFER_FREE
    }

    /** @param page the locked page, for which {@code page_maybe_dma_pinned()} is true */
    Action onPinnedPage(PageRef page);
}
