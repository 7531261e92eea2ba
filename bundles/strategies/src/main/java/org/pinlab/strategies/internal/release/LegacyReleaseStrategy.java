package org.pinlab.strategies.internal.release;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.ReleaseStrategy;

/** Drivers as before pin tracking: get_user_pages, then set_page_dirty_lock + put_page. */
@Component(service = ReleaseStrategy.class, property = "name=legacy")
public final class LegacyReleaseStrategy implements ReleaseStrategy {

    @Override
    public String name() {
        return "legacy";
    }

    @Override
    public String description() {
        return "Drivers as they were before Linux 5.7: get_user_pages() takes plain page references "
                + "(FOLL_GET), and release is set_page_dirty_lock() then put_page(). A long-term "
                + "request is taken like any other: nothing tracked long-term use of a page before "
                + "pins (FOLL_LONGTERM now requires FOLL_PIN). Nothing tells the mm the page is in "
                + "use for DMA, so reclaim strips its buffers and writeback cleans it behind the "
                + "device's back. The status quo of seeds 001 and 002. Risk: the ext4 BUG "
                + "(\"kernel BUG at fs/ext4/inode.c\") and lost writes.";
    }

    @Override
    public int grabFlags(boolean write, boolean longterm) {
        // longterm ignored: get_user_pages before 5.7 had no FOLL_LONGTERM tracking of pins, and
        // FOLL_LONGTERM without FOLL_PIN is now an invalid call (Foll.validate).
        return write ? Foll.GET | Foll.WRITE : Foll.GET;
    }

    @Override
    public boolean bounceFileWrites() {
        return false;
    }
}
