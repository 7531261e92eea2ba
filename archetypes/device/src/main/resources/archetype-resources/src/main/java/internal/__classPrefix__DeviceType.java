package ${package}.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;

/**
 * ${deviceName} as a service: Declarative Services registers it as a {@link DeviceType}
 * named {@value #NAME}, the lab binds it, and a scenario attaches it with
 * {@code devices: [{name: cam0, type: ${deviceName}, buffers: [...]}]}. Stateless: each
 * attachment gets its own {@link ${classPrefix}Device}.
 */
@Component(service = DeviceType.class, property = "name=" + ${classPrefix}DeviceType.NAME)
public final class ${classPrefix}DeviceType implements DeviceType {

    public static final String NAME = "${deviceName}";

    static final String FRAMES = "frames";
    static final String FRAME_TIME = "frame-time";
    static final String GAP = "gap";

    private static final long S = 1_000_000_000L;

    static final List<Parameter> PARAMETERS = List.of(
            Parameter.integer(FRAMES, 20, 1, 1_000_000, "frames to capture, then the device is done"),
            Parameter.duration(FRAME_TIME, "1ms", 1_000, 60 * S,
                    "how long the sensor takes to fill a queued buffer (between VIDIOC_QBUF and VIDIOC_DQBUF)"),
            Parameter.duration(GAP, "200us", 0, 60 * S, "idle time between a dequeued frame and the next queue"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "${deviceName}: a V4L2-style capture device on V4L2_MEMORY_USERPTR buffers (videobuf2, v6.12): "
                + "VIDIOC_QBUF pins the whole buffer long-term for writing (vb2_create_framevec -> get_vaddr_frames "
                + "-> pin_user_pages_fast with FOLL_WRITE | FOLL_LONGTERM) and accepts only a complete set, the "
                + "sensor DMAs a frame into every page, and VIDIOC_DQBUF releases it dirty "
                + "(vb2_dma_sg_put_userptr: set_page_dirty_lock, then unpin_user_pages).";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    /** {@code ->probe}: every parameter is checked before the device exists. */
    @Override
    public Device create(DeviceContext context, Map<String, String> params) {
        Parameters p = Parameters.parse("device " + NAME, PARAMETERS, params);
        return new ${classPrefix}Device((int) p.integer(FRAMES), p.duration(FRAME_TIME), p.duration(GAP));
    }
}
