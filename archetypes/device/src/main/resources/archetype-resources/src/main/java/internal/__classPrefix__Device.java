package ${package}.internal;

import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;

/**
 * One capture device: queue the first buffer (pin it), fill it with a frame (DMA into every
 * page), dequeue it (release it dirty), and again, {@code frames} times. Each step takes the
 * outcome of the operation the previous step started, then starts exactly one: a pin, a
 * release or a sleep. The kernel completes it and steps the device again.
 */
final class ${classPrefix}Device implements Device {

    private enum State { IDLE, QUEUEING, FILLING, DEQUEUEING, REFUSING }

    private final int frames;
    private final long frameTime;
    private final long gap;
    private State state = State.IDLE;
    private DmaMap map;
    private int captured;

    ${classPrefix}Device(int frames, long frameTime, long gap) {
        this.frames = frames;
        this.frameTime = frameTime;
        this.gap = gap;
    }

    /** Frames captured and handed back so far. */
    int captured() {
        return captured;
    }

    @Override
    public boolean step(DeviceContext ctx) {
        if (ctx.buffers().isEmpty()) {
            ctx.log("no buffer to capture into");
            return false;
        }
        UserBuffer buffer = ctx.buffers().get(0);
        switch (state) {
            case IDLE -> {
                // VIDIOC_QBUF -> vb2_dma_sg_get_userptr -> vb2_create_framevec -> get_vaddr_frames (v6.12)
                ctx.pinFast(buffer, 0, buffer.pages(), true, true);
                state = State.QUEUEING;
            }
            case QUEUEING -> {
                map = ctx.mapped();
                if (map == null) {
                    ctx.log("VIDIOC_QBUF failed: " + Errno.describe(ctx.error()));
                    state = State.IDLE;
                    ctx.sleep(gap);
                } else if (map.pages() < buffer.pages()) {
                    // vb2_create_framevec: "We accept only complete set of PFNs": put_vaddr_frames, -EFAULT
                    ctx.release(map, false);
                    map = null;
                    state = State.REFUSING;
                } else {
                    // the sensor writes the frame into every page by DMA, then takes frame-time to finish
                    for (int i = 0; i < map.pages(); i++) {
                        ctx.deviceWrite(map, i);
                    }
                    state = State.FILLING;
                    ctx.sleep(frameTime);
                }
            }
            case FILLING -> {
                // VIDIOC_DQBUF ... vb2_dma_sg_put_userptr: set_page_dirty_lock on each page, unpin_user_pages
                ctx.release(map, true);
                map = null;
                state = State.DEQUEUEING;
            }
            case DEQUEUEING -> {
                captured++;
                if (captured >= frames) {
                    return false;
                }
                state = State.IDLE;
                ctx.sleep(gap);
            }
            case REFUSING -> {
                ctx.log("VIDIOC_QBUF failed: " + Errno.describe(Errno.EFAULT.negative()) + " (partial pin)");
                state = State.IDLE;
                ctx.sleep(gap);
            }
        }
        return true;
    }
}
