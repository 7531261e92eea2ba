package org.pinlab.driver.gpu.internal;

import org.pinlab.api.device.Parameters;

/**
 * One GPU's workload, as validated by {@link GpuType#PARAMETERS}.
 *
 * @param jobs          jobs to run in all (0: forever)
 * @param concurrent    jobs in flight at once
 * @param jobLength     ns from a job's pin to its release
 * @param gap           ns from a job's release to the next job in its slot
 * @param pages         pages a job binds (fewer if the buffer is smaller)
 * @param dmaInterval   ns between accesses to a running job's pages
 * @param burst         pages touched per access
 * @param writeFraction fraction of touched pages written
 * @param longterm      FOLL_LONGTERM
 * @param revocable     answers revokes
 */
record GpuSettings(long jobs, int concurrent, long jobLength, long gap, int pages, long dmaInterval, int burst,
                   double writeFraction, boolean longterm, boolean revocable) {

    static GpuSettings from(Parameters p) {
        return new GpuSettings(p.integer(GpuType.JOBS), (int) p.integer(GpuType.CONCURRENT),
                p.duration(GpuType.JOB_LENGTH), p.duration(GpuType.GAP), (int) p.integer(GpuType.PAGES),
                p.duration(GpuType.DMA_INTERVAL), (int) p.integer(GpuType.BURST),
                p.fraction(GpuType.WRITE_FRACTION), p.bool(GpuType.LONGTERM), p.bool(GpuType.REVOCABLE));
    }

    /** A userptr object the GPU only reads is bound read-only ({@code I915_USERPTR_READ_ONLY}). */
    boolean writes() {
        return writeFraction > 0;
    }
}
