package org.pinlab.strategies.internal.reclaim;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.ReclaimPolicy;

/**
 * keep-private asked in the wrong place: {@code folio_maybe_dma_pinned} before
 * {@code try_to_unmap} instead of after it (d824ec2a1546, v6.4), as this model first had it.
 */
@Component(service = ReclaimPolicy.class, property = "name=keep-private-early")
public final class KeepPinnedPagesActiveEarly implements ReclaimPolicy {

    @Override
    public String name() {
        return "keep-private-early";
    }

    @Override
    public String description() {
        return "keep-private with its pin check in the wrong place: shrink_folio_list() asks "
                + "folio_maybe_dma_pinned() before try_to_unmap(), while GUP can still find the page "
                + "mapped and pin it, instead of after the unmap with the folio locked, where the merged "
                + "fix (d824ec2a1546, Linux 6.4) asks. For comparing placements; the kernel never shipped it. "
                + "Risk: a pin taken between the check and the unmap slips through and the buffers are "
                + "stripped from a pinned page, the seed 001 crash, rarer.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.KEEP_ACTIVE;
    }

    @Override
    public boolean checksBeforeUnmap() {
        return true;
    }
}
