package org.pinlab.strategies.internal.truncate;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.TruncatePolicy;

/** Truncate removes and frees a pinned page as if it were not pinned. */
@Component(service = TruncatePolicy.class, property = "name=proceed")
public final class ProceedWithTruncate implements TruncatePolicy {

    @Override
    public String name() {
        return "proceed";
    }

    @Override
    public String description() {
        return "Truncate and hole punch remove a pinned page (or free a pinned DAX block) as if it "
                + "were not pinned. The status quo for page-cache files; seed 002's revoke() "
                + "discussion is about this case (\"you are screwed\", at least for DAX). Risk: use "
                + "after free, the device writing into memory or blocks that now belong to "
                + "someone else.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.PROCEED;
    }
}
