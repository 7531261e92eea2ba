package org.pinlab.kernel;

import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.frames.RunMetrics;
import org.pinlab.kernel.internal.frames.Vmstat;

/**
 * What one run measured, on the virtual clock (so figures are stable on noisy hosts).
 *
 * @param simulatedNs       simulated time the run covered
 * @param dmaWritePages     pages devices wrote by DMA
 * @param dmaReadPages      pages devices read by DMA
 * @param writebackP50Ns    median time from a page's dirtying to the end of the writeback that cleaned it
 * @param writebackP99Ns    99th percentile of the same
 * @param fsyncP50Ns        median fsync latency
 * @param fsyncP99Ns        99th percentile fsync latency
 * @param fsyncCalls        fsyncs that returned
 * @param unreclaimable     times reclaim met a pinned page it could not free (backed off, kept active or isolated)
 * @param peakDmaPages      the most pages device mappings held at once
 * @param peakBouncePages   the most bounce pages allocated at once
 * @param copyBytes         bytes copied for bounce buffers and writeback snapshots ({@code BOUNCE_COPY_BYTES} counts both)
 * @param pinsAcquired      {@code nr_foll_pin_acquired}
 * @param pinsReleased      {@code nr_foll_pin_released}
 */
public record RunStats(long simulatedNs, long dmaWritePages, long dmaReadPages, long writebackP50Ns,
                       long writebackP99Ns, long fsyncP50Ns, long fsyncP99Ns, long fsyncCalls, long unreclaimable,
                       long peakDmaPages, long peakBouncePages, long copyBytes, long pinsAcquired,
                       long pinsReleased) {

    /** DMA write throughput in MiB per simulated second. */
    public double dmaMibPerSecond() {
        return simulatedNs == 0 ? 0 : dmaWritePages * 4096.0 / (1 << 20) / (simulatedNs / 1e9);
    }

    static RunStats of(Kernel k) {
        RunMetrics m = k.metrics;
        return new RunStats(k.engine.now(), k.vm.vmstat(Vmstat.DMA_WRITE_PAGES), k.vm.vmstat(Vmstat.DMA_READ_PAGES),
                m.writebackLatency().percentile(50), m.writebackLatency().percentile(99),
                m.fsyncLatency().percentile(50), m.fsyncLatency().percentile(99), m.fsyncLatency().count(),
                k.vm.vmstat(Vmstat.RECLAIM_BACKOFF_PINNED) + k.vm.vmstat(Vmstat.RECLAIM_KEPT_PINNED)
                        + m.pinnedIsolations(),
                m.peakDmaPages(), m.peakBouncePages(),
                k.vm.vmstat(Vmstat.BOUNCE_COPY_BYTES),
                k.vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED), k.vm.vmstat(Vmstat.NR_FOLL_PIN_RELEASED));
    }
}
