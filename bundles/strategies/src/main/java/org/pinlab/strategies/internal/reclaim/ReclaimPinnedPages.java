package org.pinlab.strategies.internal.reclaim;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.ReclaimPolicy;

/** Before v6.4: shrink_folio_list strips private data, fails to freeze the refcount, backs out. */
@Component(service = ReclaimPolicy.class, property = "name=legacy")
public final class ReclaimPinnedPages implements ReclaimPolicy {

    @Override
    public String name() {
        return "legacy";
    }

    @Override
    public String description() {
        return "Reclaim as before Linux 6.4: shrink_folio_list() treats a pinned clean page like any "
                + "other, try_to_release_page() frees its buffer heads (PG_private clear), then the "
                + "refcount freeze fails on the pin and reclaim backs out, leaving the page cached "
                + "without buffers. Step 3 of the bug in seeds 001 and 002. Risk: the ext4 BUG at "
                + "the next writeback once the device has dirtied the page.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.RECLAIM;
    }
}
