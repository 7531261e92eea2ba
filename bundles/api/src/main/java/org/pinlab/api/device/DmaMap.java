package org.pinlab.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** Pages of a {@link UserBuffer} pinned (or referenced) for a device: a DMA mapping. */
@ProviderType
public interface DmaMap {

    UserBuffer buffer();

    /** The first page of the buffer this mapping covers. */
    int first();

    /** Pages mapped. */
    int pages();

    /** The frame behind page {@code i} of the mapping (0-based within the mapping). */
    int pfn(int i);

    /** Whether the device may write (FOLL_WRITE). */
    boolean write();

    /** Whether the pin is long term (FOLL_LONGTERM). */
    boolean longterm();

    /** Until released. */
    boolean live();

    /** Whether the kernel asked for it back ({@link Device#revoke}) and it is not released yet. */
    boolean revoked();
}
