package org.pinlab.strategies.internal.release;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.ReleaseStrategy;

/** Drivers since 5.7: pin_user_pages, then unpin_user_pages_dirty_lock. */
@Component(service = ReleaseStrategy.class, property = "name=tracked")
public final class TrackedReleaseStrategy implements ReleaseStrategy {

    @Override
    public String name() {
        return "tracked";
    }

    @Override
    public String description() {
        return "Tracked pins, as merged in Linux 5.7 from John Hubbard's put_user_page() work "
                + "(seeds 000-002): pin_user_pages() takes FOLL_PIN (with FOLL_LONGTERM for "
                + "RDMA-style users) and release is unpin_user_pages_dirty_lock(), so "
                + "page_maybe_dma_pinned() lets reclaim, writeback and truncate see the pin. "
                + "It only fixes what those policies then do with the knowledge. Risk: pin count "
                + "overflow, and call sites still using get_user_pages()/put_page().";
    }

    @Override
    public int grabFlags(boolean write, boolean longterm) {
        return pinFlags(write, longterm);
    }

    @Override
    public boolean bounceFileWrites() {
        return false;
    }

    /** The FOLL_PIN flags of pin_user_pages(); {@code bounce} pins the same way. */
    static int pinFlags(boolean write, boolean longterm) {
        return Foll.PIN | (write ? Foll.WRITE : 0) | (longterm ? Foll.LONGTERM : 0);
    }
}
