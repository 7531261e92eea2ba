package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.lab.Pluggable;

/**
 * How a driver's DMA mapping takes user pages and gives them back: {@code legacy}
 * (get_user_pages, then set_page_dirty_lock + put_page), {@code tracked}
 * (pin_user_pages, then unpin_user_pages_dirty_lock), {@code bounce} (tracked, and device
 * writes into file pages land in kernel bounce buffers copied in at release through the
 * filesystem's write path). A mapping is always released the way it was taken, whatever
 * strategy is active by then.
 */
@ConsumerType
public interface ReleaseStrategy extends Pluggable {

    /**
     * The {@link org.pinlab.api.gup.Foll} flags to grab a range with, e.g.
     * {@code FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE}.
     */
    int grabFlags(boolean write, boolean longterm);

    /**
     * Whether device writes into file-backed pages go to bounce buffers that are copied into
     * the page cache at release through the filesystem's proper write path
     * ({@code page_mkwrite} included). Costs a page copy and a page of memory per page.
     */
    boolean bounceFileWrites();
}
