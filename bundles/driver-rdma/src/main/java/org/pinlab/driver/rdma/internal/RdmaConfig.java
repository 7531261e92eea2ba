package org.pinlab.driver.rdma.internal;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;

/**
 * The workload of one RDMA NIC: how its application registers memory and how remote peers
 * use it. Parsed once, all keys checked, before the device exists; the draws (lifetimes,
 * gaps, windows) come from the device's seeded stream.
 */
record RdmaConfig(int pages, int batch, long lifetimeNs, double lifetimeSpread, long dmaGapNs, boolean exponential,
                  double writeFraction, boolean writable, long registrations, long pauseNs, long retryAfterNs,
                  boolean odp, boolean revocable, long startNs) {

    /** {@code PAGE_SIZE / sizeof(struct page *)}: the most pages ib_umem_get pins per call. */
    static final int UMEM_BATCH = 4096 / 8;

    static final String PAGES = "pages";
    static final String BATCH = "batch";
    static final String LIFETIME = "lifetime";
    static final String LIFETIME_SPREAD = "lifetime-spread";
    static final String DMA_GAP = "dma-gap";
    static final String GAPS = "gaps";
    static final String WRITE_FRACTION = "write-fraction";
    static final String WRITABLE = "writable";
    static final String REGISTRATIONS = "registrations";
    static final String PAUSE = "pause";
    static final String RETRY_AFTER = "retry-after";
    static final String ODP = "odp";
    static final String REVOCABLE = "revocable";
    static final String START = "start";

    private static final long HOUR = 3_600_000_000_000L;

    static final List<Parameter> PARAMETERS = List.of(
            Parameter.integer(PAGES, 0, 0, 1 << 24,
                    "pages per registration, a window at a random offset of the buffer (0: the whole buffer)"),
            Parameter.integer(BATCH, UMEM_BATCH, 1, 1 << 20,
                    "pages per pin_user_pages_fast call while registering (ib_umem_get: PAGE_SIZE / 8)"),
            Parameter.duration(LIFETIME, "1s", 1_000, HOUR, "mean time a memory region stays registered"),
            Parameter.fraction(LIFETIME_SPREAD, 0.5,
                    "lifetimes are uniform in mean * (1 - spread) .. mean * (1 + spread)"),
            Parameter.duration(DMA_GAP, "100us", 100, 10_000_000_000L,
                    "mean time between remote DMA accesses to a region (1 / access rate)"),
            Parameter.choice(GAPS, "exponential", List.of("exponential", "uniform"),
                    "how gaps between DMA accesses are drawn: exponential (Poisson arrivals) or uniform 0 .. 2 * mean"),
            Parameter.fraction(WRITE_FRACTION, 0.5, "share of DMA accesses that write the region (RDMA WRITE, RECV)"),
            Parameter.bool(WRITABLE, true,
                    "IB_ACCESS_LOCAL_WRITE: pinned with FOLL_WRITE and dirtied at deregistration; false: reads only"),
            Parameter.integer(REGISTRATIONS, 0, 0, 1_000_000, "registrations per buffer (0: register again forever)"),
            Parameter.duration(PAUSE, "10ms", 0, HOUR, "pause between a deregistration and the next registration"),
            Parameter.duration(RETRY_AFTER, "0ns", 0, HOUR,
                    "after ibv_reg_mr fails (ENOMEM, EFAULT), try again this much later (0: give up on that buffer)"),
            Parameter.bool(ODP, false,
                    "on-demand paging: pin nothing, mirror the page tables through an MMU interval notifier"),
            Parameter.bool(REVOCABLE, false,
                    "answer a revoke by releasing the pinned pages (real MRs cannot be revoked)"),
            Parameter.duration(START, "0ns", 0, HOUR,
                    "when the application first registers its buffers (it may fill them before)"));

    /** Checks every key and value ({@link Parameters#parse}) before anything is built. */
    static RdmaConfig parse(Map<String, String> given) {
        Parameters p = Parameters.parse("device rdma", PARAMETERS, given);
        return new RdmaConfig((int) p.integer(PAGES), (int) p.integer(BATCH), p.duration(LIFETIME),
                p.fraction(LIFETIME_SPREAD), p.duration(DMA_GAP), "exponential".equals(p.choice(GAPS)),
                p.fraction(WRITE_FRACTION), p.bool(WRITABLE), p.integer(REGISTRATIONS), p.duration(PAUSE),
                p.duration(RETRY_AFTER), p.bool(ODP), p.bool(REVOCABLE), p.duration(START));
    }

    /** Pages a registration of a buffer of {@code bufferPages} covers. */
    int windowPages(int bufferPages) {
        return pages == 0 ? bufferPages : pages;
    }

    /** How long the next registration lives. */
    long drawLifetime(RandomGenerator random) {
        double factor = 1 - lifetimeSpread + 2 * lifetimeSpread * random.nextDouble();
        return Math.max(1, Math.round(lifetimeNs * factor));
    }

    /** The gap before the next DMA access: exponential (capped at 20 means) or uniform. */
    long drawGap(RandomGenerator random) {
        double u = random.nextDouble();
        double gap = exponential ? -Math.log1p(-u) * dmaGapNs : 2 * u * dmaGapNs;
        return Math.max(1, Math.min(20 * dmaGapNs, Math.round(gap)));
    }

    /** Whether the next access writes (never for a region registered read-only). */
    boolean drawWrite(RandomGenerator random) {
        return writable && random.nextDouble() < writeFraction;
    }
}
