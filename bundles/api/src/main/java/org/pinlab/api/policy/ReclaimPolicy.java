package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.lab.Pluggable;

/** What {@code shrink_folio_list} does with a page that may be pinned for DMA. */
@ConsumerType
public interface ReclaimPolicy extends Pluggable {

    enum Action {
        /** As the kernel did until v6.4: release private data, then fail the refcount freeze and back out. */
        RECLAIM,
        /** The v6.4 kernel: keep the folio active, leave its private data alone. */
        KEEP_ACTIVE,
        /** Wilcox, seed 002: take it off the LRU until it is unpinned; reclaim never sees it again. */
        ISOLATE
    }

    /** @param page the locked page, for which {@code page_maybe_dma_pinned()} is true */
    Action onPinnedPage(PageRef page);

    /**
     * Whether {@code shrink_folio_list} asks about pins before {@code try_to_unmap}, as this
     * model did before it followed the kernel, instead of after it, with the folio locked and
     * unmapped, where d824ec2a1546 ("mm: do not reclaim private data from pinned page",
     * v6.4) put {@code folio_maybe_dma_pinned}: "Folio is unmapped now so it cannot be newly
     * pinned anymore". Asked before, a pin taken between the check and the unmap (GUP finds
     * the page still mapped) is not seen, and the buffers go.
     */
    default boolean checksBeforeUnmap() {
        return false;
    }
}
