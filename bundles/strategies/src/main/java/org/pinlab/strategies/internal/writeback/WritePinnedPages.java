package org.pinlab.strategies.internal.writeback;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.WritebackPolicy;

/** Today's kernel: write_cache_pages writes a pinned dirty page like any other. */
@Component(service = WritebackPolicy.class, property = "name=write")
public final class WritePinnedPages implements WritebackPolicy {

    @Override
    public String name() {
        return "write";
    }

    @Override
    public String description() {
        return "Today's kernel: write_cache_pages() writes a pinned dirty page like any other "
                + "(clear_page_dirty_for_io, PG_writeback, I/O), and the device keeps writing into "
                + "it. What writeback should do with pinned pages is still \"a TODO item\" in "
                + "pin_user_pages.rst. Risk: lost writes (DMA after the snapshot, nothing "
                + "re-dirties the page), torn blocks from pages unstable under writeback, and the "
                + "dirty-without-page_mkwrite state behind the ext4 BUG.";
    }

    @Override
    public Action onPinnedDirtyPage(PageRef page, boolean sync) {
        return Action.WRITE;
    }
}
