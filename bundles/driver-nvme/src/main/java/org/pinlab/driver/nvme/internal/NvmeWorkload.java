package org.pinlab.driver.nvme.internal;

import java.util.List;

import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;

/**
 * The O_DIRECT workload one attachment runs, as its validated parameters: what {@code fio
 * --direct=1 --ioengine=io_uring} would be told.
 *
 * @param bioPages     pages per bio (one O_DIRECT request of {@code bioPages * 4 KiB})
 * @param queueDepth   bios in flight at most
 * @param readFraction share of requests that are reads (the device writes user memory)
 * @param gapNs        the process's pause between two submissions
 * @param ios          requests to issue in all; 0 runs until the device is detached
 * @param readLatency  device latency of a read bio; 0 takes {@code block-read} from the cost table
 * @param writeLatency device latency of a write bio; 0 takes {@code block-write} from the cost table
 * @param sequential   whether bios walk the buffer in order rather than at random aligned offsets
 */
record NvmeWorkload(int bioPages, int queueDepth, double readFraction, long gapNs, long ios, long readLatency,
                    long writeLatency, boolean sequential) {

    static final String BIO_PAGES = "bio-pages";
    static final String QUEUE_DEPTH = "queue-depth";
    static final String READ_FRACTION = "read-fraction";
    static final String GAP = "gap";
    static final String IOS = "ios";
    static final String READ_LATENCY = "read-latency";
    static final String WRITE_LATENCY = "write-latency";
    static final String PATTERN = "pattern";

    private static final long SECOND = 1_000_000_000L;

    static final List<Parameter> PARAMETERS = List.of(
            Parameter.integer(BIO_PAGES, 32, 1, 256,
                    "pages per bio: 32 is a 128 KiB request; 256 (1 MiB) is a common max_sectors_kb"),
            Parameter.integer(QUEUE_DEPTH, 4, 1, 1024,
                    "bios in flight at once (io_uring/aio iodepth; 1 is a synchronous read(2)/write(2))"),
            Parameter.fraction(READ_FRACTION, 0.7,
                    "share of requests that are O_DIRECT reads (the disk DMA-writes user memory); the rest are writes"),
            Parameter.duration(GAP, "10us", 0, SECOND, "the process's pause between two submissions"),
            Parameter.integer(IOS, 0, 0, 1_000_000_000L, "requests to issue in all; 0 runs until detached"),
            Parameter.duration(READ_LATENCY, "0ns", 0, SECOND,
                    "device latency of one read bio; 0 takes block-read from the cost table"),
            Parameter.duration(WRITE_LATENCY, "0ns", 0, SECOND,
                    "device latency of one write bio; 0 takes block-write from the cost table"),
            Parameter.choice(PATTERN, "random", List.of("random", "sequential"),
                    "bio offsets in the buffer: random bio-aligned (fio randrw) or in order, wrapping"));

    static NvmeWorkload of(Parameters p) {
        return new NvmeWorkload((int) p.integer(BIO_PAGES), (int) p.integer(QUEUE_DEPTH), p.fraction(READ_FRACTION),
                p.duration(GAP), p.integer(IOS), p.duration(READ_LATENCY), p.duration(WRITE_LATENCY),
                "sequential".equals(p.choice(PATTERN)));
    }

    /** Whether the process has issued every request it was asked to. */
    boolean allIssued(long issued) {
        return ios != 0 && issued >= ios;
    }
}
