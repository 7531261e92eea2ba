package org.pinlab.driver.rdma.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.UserBuffer;

/** Publishes the RDMA NIC model as the {@code rdma} device type. Stateless: each attachment gets its own NIC. */
@Component(service = DeviceType.class, property = "name=rdma")
public final class RdmaType implements DeviceType {

    @Override
    public String name() {
        return "rdma";
    }

    @Override
    public String description() {
        return "An mlx5-like RDMA NIC (drivers/infiniband): the application registers each buffer as a memory "
                + "region with ibv_reg_mr, which ib_umem_get charges against RLIMIT_MEMLOCK (failing with ENOMEM "
                + "beyond it) and pins with pin_user_pages_fast(FOLL_LONGTERM | FOLL_WRITE), 512 pages per call; "
                + "remote peers then read and write random pages by DMA for the region's lifetime, and "
                + "ibv_dereg_mr releases it with unpin_user_pages_dirty_lock, dirtying every page of a writable "
                + "region. odp=true models on-demand paging instead: nothing is pinned, an MMU interval notifier "
                + "(mmu_interval_notifier_insert) tells the NIC when to drop its translations, pages are faulted "
                + "in with hmm_range_fault, and mlx5_ib_invalidate_range dirties what the NIC wrote. Pinned "
                + "regions cannot be revoked unless revocable=true.";
    }

    @Override
    public List<Parameter> parameters() {
        return RdmaConfig.PARAMETERS;
    }

    /** {@code mlx5_ib_probe}: every parameter is checked, and the window fits every buffer, before the NIC exists. */
    @Override
    public Device create(DeviceContext context, Map<String, String> params) {
        Objects.requireNonNull(context, "context");
        RdmaConfig config = RdmaConfig.parse(params);
        if (context.buffers().isEmpty()) {
            throw new IllegalArgumentException("device rdma: no buffer to register; give the NIC at least one");
        }
        for (UserBuffer b : context.buffers()) {
            if (config.pages() > b.pages()) {
                throw new IllegalArgumentException("device rdma: parameter 'pages' is " + config.pages()
                        + " but buffer " + b.name() + " has only " + b.pages() + " pages");
            }
        }
        return new RdmaNic(context, config);
    }
}
