package org.pinlab.api.mm;

/**
 * Page flag bits ({@code enum pageflags}, include/linux/page-flags.h). Defined once here;
 * the kernel's frame store, the filesystems and the oracles all use these.
 */
public final class PageFlags {

    private PageFlags() {
    }

    /** PG_locked: the page lock is held. */
    public static final int LOCKED = 1;
    /** PG_referenced: accessed since reclaim last looked. */
    public static final int REFERENCED = 1 << 1;
    /** PG_uptodate: contents are valid. */
    public static final int UPTODATE = 1 << 2;
    /** PG_dirty: contents differ from the backing store. */
    public static final int DIRTY = 1 << 3;
    /** PG_lru: on an LRU list. */
    public static final int LRU = 1 << 4;
    /** PG_active: on an active LRU list. */
    public static final int ACTIVE = 1 << 5;
    /** PG_private: the filesystem attached data (buffer heads). */
    public static final int PRIVATE = 1 << 6;
    /** PG_writeback: being written to the backing store. */
    public static final int WRITEBACK = 1 << 7;
    /** PG_head: first page of a compound page. */
    public static final int HEAD = 1 << 8;
    /** A tail page of a compound page (the kernel marks these by compound_head's low bit). */
    public static final int TAIL = 1 << 9;
    /** PG_reclaim: reclaim wants it freed as soon as writeback ends. */
    public static final int RECLAIM = 1 << 10;
    /** PG_swapbacked: anonymous or shmem, backed by swap rather than a file. */
    public static final int SWAPBACKED = 1 << 11;
    /** PageAnon: mapped anonymously (the kernel keeps this in page->mapping's low bit). */
    public static final int ANON = 1 << 12;
    /** PG_unevictable: may not be reclaimed (mlocked, or isolated by a policy). */
    public static final int UNEVICTABLE = 1 << 13;
    /** The frame is in the allocator's free lists (PageBuddy). */
    public static final int BUDDY = 1 << 14;
    /** PG_error-like marker for pages whose I/O failed. */
    public static final int ERROR = 1 << 15;

    /**
     * Model-only: the filesystem's page_mkwrite ran since the page was last cleaned. No kernel
     * flag exists for this; the dirty-without-page_mkwrite oracle needs it.
     */
    public static final int MKWRITE_SEEN = 1 << 24;

    /**
     * PG_hwpoison: the memory behind the frame is bad ({@code memory_failure}); it is never
     * reused. (Bits 16 to 23 hold the model's LRU sequence, so it sits above them.)
     */
    public static final int HWPOISON = 1 << 25;

    private static final String[] NAMES = {"locked", "referenced", "uptodate", "dirty", "lru", "active",
        "private", "writeback", "head", "tail", "reclaim", "swapbacked", "anon", "unevictable", "buddy", "error"};

    /** The flags as the kernel's {@code %pGp} format prints them, e.g. {@code dirty|lru|private}. */
    public static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES[i]);
            }
        }
        if ((flags & HWPOISON) != 0) {
            sb.append(sb.length() > 0 ? "|" : "").append("hwpoison");
        }
        if ((flags & MKWRITE_SEEN) != 0) {
            sb.append(sb.length() > 0 ? "|" : "").append("mkwrite_seen");
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }
}
