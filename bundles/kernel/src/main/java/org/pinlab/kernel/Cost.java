package org.pinlab.kernel;

/**
 * What a modelled operation costs in simulated nanoseconds, by default. Figures are
 * round numbers of the right order for a current x86 server with NVMe storage; the pin
 * costs are the kernel's own gup_test figures (DOMAIN.md section 2). A run may override
 * any of them ({@link CostTable#with}).
 */
public enum Cost {
    /** A CPU store to a mapped page, or any short step of kernel bookkeeping. */
    CPU_STEP(50),
    /** Taking or dropping an uncontended lock. */
    LOCK(20),
    /** Entering the fault handler and walking the page tables ({@code handle_mm_fault}). */
    PAGE_FAULT(1_000),
    /** The filesystem's {@code page_mkwrite} (block reservation, buffer heads). */
    PAGE_MKWRITE(2_000),
    /** Zeroing a 4 KiB page. */
    PAGE_ZERO(300),
    /** Copying a 4 KiB page (memcpy at about 10 GB/s). */
    PAGE_COPY(400),
    /** Pinning one small page, long term ({@code pin_user_pages}, gup_test: about 62 ns). */
    PIN_PAGE(62),
    /** Unpinning one small page (gup_test: about 15 ns). */
    UNPIN_PAGE(15),
    /** Writeback's per-page CPU work (tagging, {@code clear_page_dirty_for_io}, bio setup). */
    WRITEBACK_PAGE(500),
    /** Reclaim's per-page CPU work in {@code shrink_folio_list}. */
    RECLAIM_PAGE(200),
    /** Latency of a 4 KiB write on NVMe. */
    BLOCK_WRITE(20_000),
    /** Latency of a 4 KiB read on NVMe. */
    BLOCK_READ(80_000),
    /** A device writing one page by DMA. */
    DMA_PAGE(1_000),
    /** The flusher's period ({@code dirty_writeback_centisecs}: 5 s). */
    WRITEBACK_INTERVAL(5_000_000_000L),
    /** How old dirty data must be before periodic writeback takes it ({@code dirty_expire_centisecs}: 30 s). */
    DIRTY_EXPIRE(30_000_000_000L),
    /** kswapd's pause between reclaim passes that made no progress. */
    KSWAPD_BACKOFF(1_000_000);

    private final long defaultNs;

    Cost(long defaultNs) {
        this.defaultNs = defaultNs;
    }

    public long defaultNs() {
        return defaultNs;
    }

    /** The name as scenario files write it: lower case with dashes, e.g. {@code block-write}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
