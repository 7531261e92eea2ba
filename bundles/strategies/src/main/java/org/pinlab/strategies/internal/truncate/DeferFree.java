package org.pinlab.strategies.internal.truncate;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.TruncatePolicy;

/** nybble41, seed 002 comments: truncate succeeds, the blocks are freed at unpin. */
@Component(service = TruncatePolicy.class, property = "name=defer-free")
public final class DeferFree implements TruncatePolicy {

    @Override
    public String name() {
        return "defer-free";
    }

    @Override
    public String description() {
        return "nybble41's proposal in the comments of seed 002: truncate succeeds at once, but the "
                + "pinned page and its blocks stay reserved until the device unpins, like an "
                + "open-and-unlinked file. Risk, as Jan Kara answered there: space invisible to the "
                + "admin's tools, and every filesystem must track these blocks so that a crash does "
                + "not leak them.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.DEFER_FREE;
    }
}
