package org.pinlab.driver.gpu.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;

/**
 * Publishes the GPU model as the {@code gpu} device type. Stateless: each attachment gets
 * its own {@link GpuDevice}.
 */
@Component(service = DeviceType.class, property = "name=gpu")
public final class GpuType implements DeviceType {

    static final String JOBS = "jobs";
    static final String CONCURRENT = "concurrent";
    static final String JOB_LENGTH = "job-length";
    static final String GAP = "gap";
    static final String PAGES = "pages";
    static final String DMA_INTERVAL = "dma-interval";
    static final String BURST = "burst";
    static final String WRITE_FRACTION = "write-fraction";
    static final String LONGTERM = "longterm";
    static final String REVOCABLE = "revocable";

    private static final long S = 1_000_000_000L;

    static final List<Parameter> PARAMETERS = List.of(
            Parameter.integer(JOBS, 0, 0, 1_000_000, "jobs to run in all, then the device is done (0: forever)"),
            Parameter.integer(CONCURRENT, 1, 1, 64, "jobs in flight at once, each with its own userptr buffer object"),
            Parameter.duration(JOB_LENGTH, "2ms", 1_000, 60 * S,
                    "how long a job runs between its pin and its release (until its dma_fence signals)"),
            Parameter.duration(GAP, "500us", 0, 60 * S, "idle time between a job's release and the next job in its slot"),
            Parameter.integer(PAGES, 16, 1, 1 << 20,
                    "pages of a buffer each job binds (the whole buffer if it is smaller), at a random offset"),
            Parameter.duration(DMA_INTERVAL, "100us", 1_000, S, "time between the GPU's accesses to a running job's pages"),
            Parameter.integer(BURST, 4, 1, 1024, "pages each access touches, picked at random within the job's range"),
            Parameter.fraction(WRITE_FRACTION, 0.5,
                    "fraction of touched pages the GPU writes, the rest it reads; 0 binds read-only"),
            Parameter.bool(LONGTERM, false, "pin with FOLL_LONGTERM (job pins are bounded by the job, so not by default)"),
            Parameter.bool(REVOCABLE, false,
                    "HMM-style mirroring: answer a revoke by stopping DMA at once and releasing at the next step"));

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public String description() {
        return "A GPU running jobs on userptr buffer objects (i915_gem_userptr_get_pages, "
                + "amdgpu_ttm_tt_get_user_pages): each job pins a range of one of its buffers with "
                + "pin_user_pages_fast (get_user_pages_fast under the legacy strategy) for the job's lifetime, "
                + "writes and reads its pages by DMA at a rate while it runs, and when its dma_fence signals "
                + "releases the range dirty (unpin_user_pages_dirty_lock, or set_page_dirty_lock + put_page). "
                + "Job pins are short-term by default. With revocable=true it behaves like an HMM/"
                + "mmu_interval_notifier driver asked to give a buffer back: DMA to it stops at once and the job "
                + "ends early with the range released; without it a revoke is refused and the kernel waits for "
                + "the job to end.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    /** {@code ->probe}: every parameter is checked before the device exists. */
    @Override
    public Device create(DeviceContext context, Map<String, String> params) {
        Parameters p = Parameters.parse("device gpu", PARAMETERS, params);
        return new GpuDevice(Objects.requireNonNull(context, "context"), GpuSettings.from(p));
    }
}
