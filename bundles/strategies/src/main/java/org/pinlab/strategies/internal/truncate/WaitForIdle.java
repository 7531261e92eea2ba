package org.pinlab.strategies.internal.truncate;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.TruncatePolicy;

/** dax_layout_busy_page style: truncate waits until the page is unpinned. */
@Component(service = TruncatePolicy.class, property = "name=wait")
public final class WaitForIdle implements TruncatePolicy {

    @Override
    public String name() {
        return "wait";
    }

    @Override
    public String description() {
        return "Truncate waits until the pinned page is idle, as DAX does: "
                + "dax_layout_busy_page_range() unmaps the range, finds a page with an elevated "
                + "refcount, and the filesystem waits for it (Dan Williams' choice over deferring "
                + "the free, seed 002 comments). Risk: hangs behind long-term pins that are "
                + "never dropped.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.WAIT;
    }
}
