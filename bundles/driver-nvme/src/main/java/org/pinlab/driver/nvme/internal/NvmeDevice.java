package org.pinlab.driver.nvme.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.errno.Errno;

/**
 * One NVMe namespace and the process doing O_DIRECT on it, as one state machine. Each step
 * does the first of: complete a bio whose data has moved, move the data of the bio due
 * first, submit a new bio, or sleep until one of those is due.
 *
 * <p>Departure from the kernel: the process, the block layer and the disk are one task, so
 * a submission waits for the device's own steps; the disk completes bios strictly in order
 * of their completion times, one per completion step.
 */
final class NvmeDevice implements Device {

    /** One request on the disk: its pinned pages and when the disk has moved its data. */
    private static final class Bio {
        final DmaMap map;
        final boolean read;
        final long due;
        final long seq;
        boolean dataMoved;

        Bio(DmaMap map, boolean read, long due, long seq) {
            this.map = map;
            this.read = read;
            this.due = due;
            this.seq = seq;
        }
    }

    private static final Comparator<Bio> BY_COMPLETION = Comparator.<Bio>comparingLong(b -> b.due)
            .thenComparingLong(b -> b.seq);

    private final DeviceContext ctx;
    private final NvmeWorkload w;
    /** In flight, ordered by completion time (then submission order). */
    private final List<Bio> inFlight = new ArrayList<>();

    /** Whether the last step started a pin, and of which request. */
    private boolean pinning;
    private boolean pinRead;
    private UserBuffer pinBuffer;
    private int pinFirst;
    private long nextSubmit;
    private long seq;
    private int seqBuffer;
    private int seqPage;

    private long issued;
    private long reads;
    private long writes;
    private long failed;

    NvmeDevice(DeviceContext ctx, NvmeWorkload w) {
        this.ctx = ctx;
        this.w = w;
    }

    @Override
    public boolean step(DeviceContext c) {
        if (pinning) {
            submitted(c);
        }
        Bio first = inFlight.isEmpty() ? null : inFlight.get(0);
        if (first != null && first.dataMoved) {
            complete(c, first);
            return true;
        }
        long now = c.now();
        if (first != null && first.due <= now) {
            moveData(c, first);
            return true;
        }
        boolean mayIssue = inFlight.size() < w.queueDepth() && !w.allIssued(issued);
        if (mayIssue && now >= nextSubmit) {
            issue(c);
            return true;
        }
        if (first == null && w.allIssued(issued)) {
            return false; // every request completed: the process exits, the disk idles
        }
        long wake = Math.min(first != null ? first.due : Long.MAX_VALUE, mayIssue ? nextSubmit : Long.MAX_VALUE);
        c.sleep(wake - now);
        return true;
    }

    /**
     * {@code iomap_dio_bio_iter} -> {@code bio_iov_iter_get_pages} -> {@code iov_iter_extract_pages}
     * -> {@code pin_user_pages_fast} (block/bio.c, lib/iov_iter.c, v6.12): a read pins with
     * FOLL_WRITE (the disk writes the pages), a write without; never FOLL_LONGTERM. Before v6.3,
     * {@code iov_iter_get_pages} -> {@code get_user_pages_fast} (lib/iov_iter.c, v4.4) took plain
     * references: the active release strategy decides. Either way GUP-fast first: a present
     * page is taken without a fault and without making its PTE young.
     */
    private void issue(DeviceContext c) {
        boolean read = c.random().nextDouble() < w.readFraction();
        UserBuffer buffer;
        int first;
        if (w.sequential()) {
            buffer = c.buffers().get(seqBuffer);
            first = seqPage;
        } else {
            buffer = c.buffers().get(c.random().nextInt(c.buffers().size()));
            int slots = (buffer.pages() + w.bioPages() - 1) / w.bioPages();
            first = c.random().nextInt(slots) * w.bioPages();
        }
        int count = Math.min(w.bioPages(), buffer.pages() - first);
        if (w.sequential()) {
            seqPage += count;
            if (seqPage == buffer.pages()) {
                seqPage = 0;
                seqBuffer = (seqBuffer + 1) % c.buffers().size();
            }
        }
        issued++;
        pinning = true;
        pinRead = read;
        pinBuffer = buffer;
        pinFirst = first;
        c.pinFast(buffer, first, count, read, false);
    }

    /**
     * The pin returned. {@code submit_bio} -> {@code blk_mq_submit_bio} -> {@code nvme_queue_rq}:
     * the command is on the submission queue and completes after the device latency. A failed
     * pin fails the request ({@code read(2)} returns the error) and submits nothing.
     */
    private void submitted(DeviceContext c) {
        boolean read = pinRead;
        pinning = false;
        DmaMap map = c.mapped();
        if (map == null) {
            c.returned(read ? "read" : "write", c.error()); // the O_DIRECT read(2)/write(2) returns the error
            if (failed++ == 0) {
                c.log("O_DIRECT " + (read ? "read" : "write") + " at page " + pinFirst + " of " + pinBuffer.name()
                        + " failed with " + Errno.describe(c.error())
                        + " (the process sees the error; later ones are not logged)");
            }
        } else {
            long latency = read ? latency(c, w.readLatency(), "block-read") : latency(c, w.writeLatency(),
                    "block-write");
            // bio_iov_iter_get_pages -> iov_iter_extract_pages (v6.12) takes what it got: a pin
            // that came back short makes a short bio. Departure: __blkdev_direct_IO would go on
            // with another bio for the rest; a model request is one bio, so it is a short I/O.
            Bio bio = new Bio(map, read, c.now() + latency, seq++);
            int at = 0;
            while (at < inFlight.size() && BY_COMPLETION.compare(inFlight.get(at), bio) <= 0) {
                at++;
            }
            inFlight.add(at, bio);
        }
        nextSubmit = c.now() + w.gapNs();
    }

    private static long latency(DeviceContext c, long parameter, String costKey) {
        return parameter > 0 ? parameter : c.cost(costKey);
    }

    /**
     * The controller executes the command due first: its DMA writes user memory for a read (no
     * fault, no {@code page_mkwrite}) or reads it for a write, then it posts the completion
     * queue entry. No kernel code runs here.
     */
    private static void moveData(DeviceContext c, Bio bio) {
        for (int i = 0; i < bio.map.pages(); i++) {
            if (bio.read) {
                c.deviceWrite(bio.map, i);
            } else {
                c.deviceRead(bio.map, i);
            }
        }
        bio.dataMoved = true;
    }

    /**
     * {@code nvme_pci_complete_rq} -> {@code blk_mq_complete_request} -> {@code bio_endio} ->
     * {@code iomap_dio_bio_end_io} -> {@code bio_release_pages(bio, mark_dirty)}: a read's pages
     * are dirtied ({@code folio_mark_dirty_lock}) and unpinned, a write's only unpinned.
     * Departure: the kernel dirties a read's pages at submission ({@code bio_set_pages_dirty})
     * and at completion redirties only those cleaned meanwhile ({@code bio_check_pages_dirty});
     * here the pin leaves them dirty (GUP-fast takes only a writable PTE, which a shared file
     * page has only while dirty; the slow path's FOLL_WRITE fault dirties it) and the release
     * dirties every page, which leaves an already dirty page as it was.
     */
    private void complete(DeviceContext c, Bio bio) {
        inFlight.remove(bio);
        if (bio.read) {
            reads++;
        } else {
            writes++;
        }
        c.release(bio.map, bio.read);
    }

    /** O_DIRECT bios cannot be recalled from the disk: the kernel has to wait for the completion. */
    @Override
    public boolean revoke(DmaMap map) {
        long left = 0;
        for (Bio bio : inFlight) {
            if (bio.map == map) {
                left = Math.max(0, bio.due - ctx.now());
            }
        }
        ctx.log("cannot revoke the O_DIRECT bio on pages [" + map.first() + ", " + (map.first() + map.pages())
                + ") of " + map.buffer().name() + "; it completes in " + Parameters.formatNs(left));
        return false;
    }

    /** Requests issued, including those whose pin failed. */
    long issued() {
        return issued;
    }

    /** Read bios completed (released dirty). */
    long reads() {
        return reads;
    }

    /** Write bios completed. */
    long writes() {
        return writes;
    }

    /** Requests whose pin failed. */
    long failed() {
        return failed;
    }

    /** Bios on the disk now. */
    int inFlight() {
        return inFlight.size();
    }
}
