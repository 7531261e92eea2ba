package org.pinlab.api.device;

import java.util.List;
import java.util.random.RandomGenerator;

import org.osgi.annotation.versioning.ProviderType;
import org.pinlab.api.errno.Errno;

/**
 * What the kernel offers a device: the DMA-mapping facade, the device's buffers, simulated
 * time and its own seeded random stream. The methods marked "takes time" end the current
 * step's work: at most one of them per {@link Device#step}; its outcome is in
 * {@link #error()}, {@link #mapped()} or {@link #faulted()} at the next step.
 */
@ProviderType
public interface DeviceContext {

    /** The device's instance name ({@code mlx5_0}, {@code nvme0n1}), unique on the machine. */
    String name();

    /** Simulated time in nanoseconds. */
    long now();

    /** The device's own stream of the run's seeded randomness: the only randomness it may use. */
    RandomGenerator random();

    /** The buffers the scenario gave this device, in the order given. */
    List<UserBuffer> buffers();

    /** The device's live mappings, oldest first. */
    List<DmaMap> maps();

    /** A cost-table entry in nanoseconds by its key ({@code block-write}, {@code dma-page}). */
    long cost(String key);

    // ---- operations that take time (one per step) ----

    /**
     * Takes time. Pins {@code count} pages of {@code buffer} from page {@code first} for DMA
     * through the slow path under {@code mmap_lock} ({@code pin_user_pages} or
     * {@code get_user_pages}, as the active release strategy says), faulting them in as a CPU
     * access would ({@code page_mkwrite} included) and marking each PTE young (FOLL_TOUCH).
     * Outcome: {@link #mapped()}, or a negative {@link #error()}. As in the kernel, a pin that
     * stops part-way maps the pages before the one it stopped at: {@code mapped().pages()} may
     * be less than {@code count}, and only a pin that took nothing fails. Drivers that need
     * the whole range pin the rest ({@link DmaMaps}) or give back what they got.
     */
    void pin(UserBuffer buffer, int first, int count, boolean write, boolean longterm);

    /**
     * Takes time. As {@link #pin}, through {@code pin_user_pages_fast} or
     * {@code get_user_pages_fast}: first a lockless walk that takes every page whose PTE is
     * present (and writable, for {@code write}) as it finds it, in one step, without faulting
     * or touching the PTE; from the first page it cannot take on, the slow path of
     * {@link #pin}. Long-term pins of file pages always take the slow path. What block-layer
     * I/O ({@code bio_iov_iter_get_pages}) uses.
     */
    void pinFast(UserBuffer buffer, int first, int count, boolean write, boolean longterm);

    /**
     * Takes time. Releases a mapping the way it was taken, dirtying its pages first if
     * {@code dirty} ({@code unpin_user_pages_dirty_lock}, or {@code set_page_dirty_lock} +
     * {@code put_page}); bounced data is copied into the file pages first.
     */
    void release(DmaMap map, boolean dirty);

    /**
     * Takes time. {@code hmm_range_fault}: makes page {@code page} of a watched buffer present
     * (and writable if {@code write}) in the CPU page table, without taking a reference, and
     * returns its frame in {@link #faulted()}. Only valid until the next invalidation.
     */
    void fault(UserBuffer buffer, int page, boolean write);

    /** Takes time. The device idles for {@code ns}; a revoke request or a detach wakes it early. */
    void sleep(long ns);

    // ---- outcomes of the previous step's operation ----

    /**
     * 0 if the previous operation succeeded, or its negative {@link Errno}: {@code -ENOMEM} (out
     * of memory, a pin count that would overflow), {@code -EFAULT} (the v6.5 refusal of a
     * long-term file-backed write pin), {@code -EOPNOTSUPP} (FOLL_LONGTERM on fsdax).
     */
    int error();

    /**
     * Tells the run what the application's system call this device stands for returned: a
     * driver calls it when an operation fails on behalf of a user call ({@code ibv_reg_mr},
     * {@code io_submit}) with the negative errno the program sees. The run reports every such
     * error with the call's name, and a scenario can expect it; a result of 0 or more is
     * ignored.
     */
    void returned(String call, int result);

    /** The mapping the previous {@link #pin} made, or null. */
    DmaMap mapped();

    /** The frame the previous {@link #fault} made present, or -1. */
    int faulted();

    // ---- atomic actions within the step ----

    /** The device writes page {@code i} of a live mapping by DMA (a new content stamp; no fault). */
    void deviceWrite(DmaMap map, int i);

    /** The device reads page {@code i} of a live mapping by DMA. */
    void deviceRead(DmaMap map, int i);

    /**
     * The device writes a frame it found through {@link #fault} (ODP). Writing a frame the
     * device should have forgotten is exactly the use after free the oracles catch.
     */
    void deviceWriteFrame(int pfn);

    /**
     * {@code mmu_interval_notifier_insert}: the device is told through
     * {@link Device#invalidate} before any of the buffer's page table entries change.
     */
    void watch(UserBuffer buffer);

    /**
     * Charges {@code pages} against the buffer's process RLIMIT_MEMLOCK ({@code mm->pinned_vm},
     * as {@code ib_umem_get} does); a negative {@code pages} uncharges.
     *
     * @return 0, or {@link Errno#ENOMEM} negated when the charge would exceed the limit (nothing
     *         is charged)
     */
    int chargeLocked(UserBuffer buffer, int pages);

    /**
     * A line in the machine's kernel log ({@code dev_err} / {@code dev_info} into dmesg), for
     * what users should see but is not a kernel defect: a registration refused with -ENOMEM
     * because RLIMIT_MEMLOCK is too small, a revoke answered.
     */
    void log(String message);

    /** A WARN finding from the driver ({@code function} names the driver function). */
    void warn(String function, String message);
}
