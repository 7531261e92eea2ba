package org.pinlab.strategies.internal.reclaim;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.ReclaimPolicy;

/** Jan Kara, about v6.4: shrink_folio_list keeps folio_maybe_dma_pinned folios active. */
@Component(service = ReclaimPolicy.class, property = "name=keep-private")
public final class KeepPinnedPagesActive implements ReclaimPolicy {

    @Override
    public String name() {
        return "keep-private";
    }

    @Override
    public String description() {
        return "The kernel since about Linux 6.4 (Jan Kara): shrink_folio_list() sees "
                + "folio_maybe_dma_pinned() and moves the folio back to the active list without "
                + "touching its private data, so the buffer heads survive the pin. Pinned pages "
                + "stay on the LRU and are scanned again each pass. Risk: scanning cost, and "
                + "memory held by pins that reclaim cannot free (false positives from 1024 "
                + "plain references included).";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.KEEP_ACTIVE;
    }
}
