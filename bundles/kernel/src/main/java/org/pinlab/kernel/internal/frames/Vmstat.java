package org.pinlab.kernel.internal.frames;

/** The counters of {@code /proc/vmstat} the model keeps ({@code enum node_stat_item}, {@code vm_event_item}). */
public enum Vmstat {
    NR_FREE_PAGES,
    NR_FILE_PAGES,
    NR_FILE_DIRTY,
    NR_WRITEBACK,
    NR_ANON_PAGES,
    PGFAULT,
    PGMAJFAULT,
    PGSCAN_KSWAPD,
    PGSCAN_DIRECT,
    PGSTEAL,
    PGACTIVATE,
    PGPGOUT,
    PGPGIN,
    NR_FOLL_PIN_ACQUIRED,
    NR_FOLL_PIN_RELEASED,
    RECLAIM_BACKOFF_PINNED,
    RECLAIM_BUFFERS_STRIPPED,
    WRITEBACK_PAGES,
    WRITEBACK_SKIPPED_PINNED,
    WRITEBACK_WAITED_PINNED,
    WRITEBACK_SNAPSHOTS,
    NR_BOUNCE,
    BOUNCE_COPY_BYTES,
    RECLAIM_KEPT_PINNED,
    NR_ISOLATED_PINNED,
    ALLOCSTALL,
    /** {@code PGMIGRATE_SUCCESS}: pages {@code migrate_pages} moved, one per base page. */
    PGMIGRATE_SUCCESS,
    /** {@code PGMIGRATE_FAIL}: pages {@code migrate_pages} tried and could not move, one per base page. */
    PGMIGRATE_FAIL,
    /**
     * Model-only (the kernel counts no such thing): times {@code __gup_longterm_locked} pinned a
     * range again because {@code check_and_migrate_movable_pages} returned -EAGAIN.
     */
    GUP_LONGTERM_RETRIES,
    /** Pages a device wrote by DMA (the model's DMA throughput). */
    DMA_WRITE_PAGES,
    /** Pages a device read by DMA. */
    DMA_READ_PAGES;

    /** The name as /proc/vmstat prints it. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
