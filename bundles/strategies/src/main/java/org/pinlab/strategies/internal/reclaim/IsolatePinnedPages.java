package org.pinlab.strategies.internal.reclaim;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.ReclaimPolicy;

/** Matthew Wilcox, seed 002: pinned pages leave the LRU until unpinned. */
@Component(service = ReclaimPolicy.class, property = "name=isolate-lru")
public final class IsolatePinnedPages implements ReclaimPolicy {

    @Override
    public String name() {
        return "isolate-lru";
    }

    @Override
    public String description() {
        return "Matthew Wilcox's proposal (seed 002): a pinned page is taken off the LRU until it "
                + "is unpinned, so reclaim never sees it again and never strips its buffers. "
                + "Unlike keep-private it costs no rescans. Risk: memory that can never be "
                + "reclaimed while the pins last, invisible to the LRU counters.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.ISOLATE;
    }
}
