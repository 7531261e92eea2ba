package org.pinlab.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** One MMU notifier invalidation of a watched buffer's pages [{@link #from}, {@link #to}). */
@ProviderType
public interface Invalidation {

    UserBuffer buffer();

    int from();

    int to();

    /**
     * Whether the pages are leaving the address space ({@code MMU_NOTIFY_UNMAP}, reclaim,
     * truncate) rather than being write-protected ({@code MMU_NOTIFY_PROTECTION_PAGE}).
     */
    boolean unmap();

    /** {@code set_page_dirty}: the device wrote the frame through its own mapping. */
    void setPageDirty(int pfn);
}
