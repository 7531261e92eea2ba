package org.pinlab.driver.nvme.internal;

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
 * Publishes the NVMe O_DIRECT model as the {@code nvme} device type. Stateless: each
 * attachment gets its own {@link NvmeDevice}.
 */
@Component(service = DeviceType.class, property = "name=nvme")
public final class NvmeType implements DeviceType {

    @Override
    public String name() {
        return "nvme";
    }

    @Override
    public String description() {
        return "An NVMe disk serving O_DIRECT read(2)/write(2) from a process on its buffer, with several bios "
                + "in flight: iomap_dio_rw -> bio_iov_iter_get_pages pins each bio's pages for a short time "
                + "(iov_iter_extract_pages -> pin_user_pages_fast, FOLL_WRITE for a read, never FOLL_LONGTERM; "
                + "get_user_pages_fast with a plain reference before v6.3), nvme_queue_rq submits it, the disk "
                + "writes (read) or reads (write) every page by DMA after its latency, and blk_mq_complete_request "
                + "-> bio_release_pages dirties a read's pages and unpins them. Bios cannot be revoked; they "
                + "complete on their own. An O_DIRECT read into a MAP_SHARED ext4 mapping can hit the same "
                + "ext4_writepage BUG as RDMA, through a much shorter pin.";
    }

    @Override
    public List<Parameter> parameters() {
        return NvmeWorkload.PARAMETERS;
    }

    /** {@code nvme_probe}: every parameter is checked before the device exists. */
    @Override
    public Device create(DeviceContext context, Map<String, String> params) {
        Objects.requireNonNull(context, "context");
        NvmeWorkload workload = NvmeWorkload.of(Parameters.parse("device nvme", NvmeWorkload.PARAMETERS, params));
        if (context.buffers().isEmpty()) {
            throw new IllegalArgumentException("device nvme: needs at least one buffer to do O_DIRECT on");
        }
        return new NvmeDevice(context, workload);
    }
}
