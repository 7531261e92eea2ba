package org.pinlab.kernel.internal.fs.proc;

import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.PagemapReader;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.Memory;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code pagemap_read()}: one {@code read(2)} of {@code /proc/PID/pagemap} by a task of
 * process {@code own}, describing {@code pages} virtual pages of process {@code target}
 * from its lowest mapping on, one 64-bit entry per page, into a buffer at {@code bufVpn} in
 * {@code own}. Both versions of seed 003 are here:
 *
 * <ul>
 * <li>{@link PagemapReader#OLD}: the target's {@code mmap_sem} held for read across the whole
 * walk, as seed 003's "proc: pagemap: Hold mmap_sem during page walk" needed it (the patch as
 * posted took the reader's own {@code mmap_sem}: the case where target and reader are one
 * mm). {@code add_to_pagemap} stores each entry with {@code put_user()}; that store can
 * fault, and the fault takes the reader's own {@code mmap_sem}: target, then own. Two
 * processes reading each other's pagemap take the two locks in both orders, and a queued
 * writer on each (a writer-preferring rwsem blocks new readers behind it) closes the ABBA
 * cycle. Lockdep reports it at the first {@code put_user}, through {@code __might_fault},
 * whether or not anything waits.</li>
 * <li>{@link PagemapReader#FIXED}: pagemap_read as merged for 2.6.34 under the same title:
 * walk at most {@code PAGEMAP_WALK_SIZE} (one PMD, 512 pages) under the target's lock into a
 * kernel buffer ({@code pm.buffer}), drop the lock, then {@code copy_to_user()}: no user
 * access with the target's lock held.</li>
 * </ul>
 *
 * <p>Departures from the kernel: the 2.6.33 reader first pinned its buffer with
 * {@code get_user_pages(write=1)}, which (Linus, seed 003) makes the fault in
 * {@code put_user} rarer but does not prevent it, since swap-out or munmap can unmap the
 * page again; the model has no anonymous swap-out, leaves that step out, and reads into a
 * buffer whose pages fault on first store. Entries carry only {@code PM_PRESENT} and the
 * pfn (no swap entries, no soft-dirty or exclusive bits); one step per page table entry.
 */
public final class PagemapRead extends Proc {

    /** {@code PM_PRESENT}: bit 63 of an entry. */
    public static final long PM_PRESENT = 1L << 63;
    /** {@code PAGE_SIZE / PM_ENTRY_BYTES}: entries per page of the user buffer. */
    public static final int ENTRIES_PER_PAGE = MemoryLayout.PAGE_SIZE / 8;
    /**
     * {@code PAGEMAP_WALK_SIZE >> PAGE_SHIFT} (a PMD): pages the fixed reader walks per lock
     * hold, whose entries fill exactly one page of {@code pm.buffer} and of the user buffer.
     */
    static final int WALK_PAGES = ENTRIES_PER_PAGE;

    private final Memory k;
    private final Mm own;
    private final Mm target;
    private final long bufVpn;
    private final int pages;
    private final PagemapReader version;
    private final long[] entries;
    private long startVpn;
    private int i;
    /** The fixed reader's chunk: entries [chunkStart, i) are in the kernel buffer. */
    private int chunkStart;

    /**
     * @param bufVpn the first page of the user buffer in {@code own}, at least
     *               {@link #bufferPages(int)} pages long
     */
    public PagemapRead(Memory k, Mm own, Mm target, long bufVpn, int pages, PagemapReader version) {
        super("pagemap_read");
        if (pages < 1) {
            throw new IllegalArgumentException("pagemap_read of " + pages + " pages");
        }
        this.k = k;
        this.own = own;
        this.target = target;
        this.bufVpn = bufVpn;
        this.pages = pages;
        this.version = version;
        this.entries = new long[pages];
    }

    /** Pages of user buffer a read of {@code pages} entries fills. */
    public static int bufferPages(int pages) {
        return (pages + ENTRIES_PER_PAGE - 1) / ENTRIES_PER_PAGE;
    }

    /** The entries the user buffer holds after the read (0 for a page not present). */
    public long[] entries() {
        return entries;
    }

    /** The virtual page the first entry describes (the target's lowest mapping when read). */
    public long startVpn() {
        return startVpn;
    }

    /** {@code pagemap_read}: lock, walk (the old reader puts each entry), copy a chunk out, next chunk. */
    private enum Step implements Proc.State {
        MMAP_READ_LOCK, FIND_START, WALK_PAGE_RANGE, PUT_USER_RETURNED, COPY_TO_USER, COPIED, NEXT_CHUNK
    }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case MMAP_READ_LOCK:
                resume(Step.FIND_START);
                return t.call(target.mmapLock.downRead()); // mmap_read_lock(mm) (2010: down_read(&mm->mmap_sem))
            case FIND_START:
                startVpn = lowestVpn();
                resume(Step.WALK_PAGE_RANGE);
                return t.next(k.cost(Cost.CPU_STEP));
            case WALK_PAGE_RANGE:
                return version == PagemapReader.OLD ? oldWalk(t) : fixedWalk(t);
            case PUT_USER_RETURNED:
                // the old reader's put_user returned: next entry
                resume(Step.WALK_PAGE_RANGE);
                return t.next(k.cost(Cost.CPU_STEP));
            case COPY_TO_USER:
                // copy_to_user(buf, pm.buffer, len): a chunk fills one page of the user buffer
                resume(Step.COPIED);
                return t.call(new UserAccess(k, own, bufVpn + chunkStart / ENTRIES_PER_PAGE, true));
            case COPIED:
                resume(Step.NEXT_CHUNK);
                return t.next(k.cost(Cost.PAGE_COPY));
            case NEXT_CHUNK:
                if (i == pages) {
                    return t.ret();
                }
                chunkStart = i;
                resume(Step.WALK_PAGE_RANGE);
                return t.call(target.mmapLock.downRead()); // the next chunk: mmap_read_lock(mm) again
            default:
                throw new IllegalStateException("pagemap_read: bad pc " + pc);
        }
    }

    /** walk_page_range -> pagemap_pte_range -> add_to_pagemap -> put_user, the target's lock held throughout. */
    private int oldWalk(Task t) {
        if (i == pages) {
            target.mmapLock.upRead(t); // up_read(&mm->mmap_sem), after the whole walk
            return t.ret();
        }
        entries[i] = pteToPagemapEntry(startVpn + i);
        long at = bufVpn + i / ENTRIES_PER_PAGE;
        i++;
        resume(Step.PUT_USER_RETURNED);
        return t.call(new UserAccess(k, own, at, true)); // put_user(pme, pm->out): may fault on own's mmap_sem
    }

    /** walk_page_range -> pagemap_pte_range into pm.buffer, at most one PMD per lock hold. */
    private int fixedWalk(Task t) {
        if (i < pages && i - chunkStart < WALK_PAGES) {
            entries[i] = pteToPagemapEntry(startVpn + i); // add_to_pagemap: pm->buffer[pm->pos++] = pme
            i++;
            return t.next(k.cost(Cost.CPU_STEP));
        }
        target.mmapLock.upRead(t); // mmap_read_unlock(mm) before copy_to_user
        resume(Step.COPY_TO_USER);
        return t.next(k.cost(Cost.CPU_STEP));
    }

    /** pte_to_pagemap_entry: PM_PRESENT | pfn for a present PTE, else an empty entry. */
    private long pteToPagemapEntry(long vpn) {
        Vma v = target.findVma(vpn); // find_vma: the walk holds the target's mmap_lock
        if (v == null) {
            return 0; // pagemap_pte_hole
        }
        int s = v.slot(vpn);
        return (v.pte[s] & Vma.PTE_PRESENT) != 0 ? PM_PRESENT | v.pfn[s] : 0;
    }

    private long lowestVpn() {
        long low = Long.MAX_VALUE;
        for (Vma v : target.vmas) {
            low = Math.min(low, v.startVpn);
        }
        return low == Long.MAX_VALUE ? 0 : low;
    }
}
