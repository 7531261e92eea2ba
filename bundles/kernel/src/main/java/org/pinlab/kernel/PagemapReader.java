package org.pinlab.kernel;

/**
 * Which {@code pagemap_read()} the kernel runs for a {@code /proc/PID/pagemap} reader
 * (seed 003). Kernel code, not a pluggable policy: a scenario picks it per combination.
 */
public enum PagemapReader {
    /**
     * The target's {@code mmap_sem} held across the walk and every {@code put_user()} to the
     * reader's buffer, as seed 003's "proc: pagemap: Hold mmap_sem during page walk" needed
     * it; the fault in {@code put_user} takes the reader's own {@code mmap_sem}. An ABBA
     * deadlock across two mms once writers queue; lockdep flags it on any schedule.
     */
    OLD,
    /**
     * pagemap_read as merged for 2.6.34: walk one PMD at a time into a kernel buffer under the
     * target's lock, drop it, then {@code copy_to_user()}.
     */
    FIXED
}
