package org.pinlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.UserRange;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.kernel.internal.programs.UserPrograms;

/**
 * Sets up what runs on a {@link Machine}: mounts, files, processes and their mappings,
 * device buffers and devices, user programs and timed events. Handles are opaque; they
 * belong to the machine that made them. Everything is created at once; programs and
 * events start at the simulated times given.
 */
public final class Workload {

    private final Machine machine;
    private final Kernel k;

    Workload(Machine machine) {
        this.machine = machine;
        this.k = machine.kernel();
    }

    /** A mounted filesystem. */
    public static final class Fs {
        final Mount mount;

        Fs(Mount mount) {
            this.mount = mount;
        }

        public String path() {
            return mount.path();
        }
    }

    /** A regular file. */
    public static final class File {
        final Inode inode;
        final String name;

        File(Inode inode, String name) {
            this.inode = inode;
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /** A process (an mm). */
    public static final class Process {
        final Mm mm;

        Process(Mm mm) {
            this.mm = mm;
        }

        public String name() {
            return mm.owner();
        }

        /** {@code mm->pinned_vm}: pages drivers charged against RLIMIT_MEMLOCK. */
        public long pinnedVm() {
            return mm.pinnedVm();
        }
    }

    /** A mapping in a process. */
    public static final class Mapping {
        final Process process;
        final Vma vma;

        Mapping(Process process, Vma vma) {
            this.process = process;
            this.vma = vma;
        }

        public int pages() {
            return vma.pages();
        }
    }

    /**
     * {@code mount(2)}: a filesystem of {@code blocks} blocks.
     *
     * @throws IllegalArgumentException for a bad option (the filesystem names it); nothing is mounted
     */
    public Fs mount(String path, FilesystemType type, Map<String, String> options, int blocks) {
        return new Fs(k.mounts.mount(path, machine.metered(FilesystemType.class, type), options, blocks));
    }

    /**
     * {@code mount(2)} on a disk whose queue says {@code stable_writes} ({@code bdev_stable_writes}:
     * an NVMe namespace with protection information, NVMe-TCP with data digest). Every CPU write
     * to a page under writeback then waits for it; a device's DMA cannot, which is a torn write.
     *
     * @throws IllegalArgumentException for a bad option (the filesystem names it); nothing is mounted
     */
    public Fs mount(String path, FilesystemType type, Map<String, String> options, int blocks, boolean stableWrites) {
        return new Fs(k.mounts.mount(path, machine.metered(FilesystemType.class, type), options, blocks, stableWrites));
    }

    /** Creates a file of {@code pages} pages (holes until written). */
    public File file(Fs fs, String name, int pages) {
        return new File(k.filemap.createFile(fs.mount, pages), name);
    }

    /** A process; {@code memlockPages} is its RLIMIT_MEMLOCK (Long.MAX_VALUE: unlimited). */
    public Process process(String name, long memlockPages) {
        Mm mm = k.mmap.newMm(name);
        mm.memlockLimit(memlockPages);
        return new Process(mm);
    }

    /** {@code mmap(MAP_SHARED)} of a whole file, readable and writable. */
    public Mapping mapShared(Process p, File f, int pages) {
        return new Mapping(p, k.mmap.mmap(p.mm, pages, true, true, f.inode, 0));
    }

    /** {@code mmap(MAP_ANONYMOUS|MAP_PRIVATE)}, populated at once with huge pages if {@code thp}. */
    public Mapping mapAnon(Process p, int pages, boolean thp) {
        Vma v = k.mmap.mmap(p.mm, pages, false, true, null, 0);
        if (thp) {
            k.mmap.populateAnon(p.mm, v, true);
        }
        return new Mapping(p, v);
    }

    /** Pages [offset, offset + pages) of a mapping, handed to devices. */
    public UserBuffer buffer(String name, Mapping m, int offset, int pages) {
        return k.userBuffer(name, m.process.mm, m.vma, offset, pages);
    }

    /**
     * Attaches a device at time 0.
     *
     * @throws IllegalArgumentException for a bad parameter or a duplicate name; nothing is attached
     */
    public void device(DeviceType type, String name, Map<String, String> params, List<UserBuffer> buffers) {
        List<UserBuffer> own = new ArrayList<>(buffers.size());
        for (UserBuffer b : buffers) {
            if (!(b instanceof UserRange)) {
                throw new IllegalArgumentException("device " + name + ": buffer " + b.name() + " is not this machine's");
            }
            own.add(b);
        }
        k.devices.attachDevice(machine.metered(DeviceType.class, type), name, params, own);
        machine.attached.put(name, new Machine.Attached(Map.copyOf(params), List.copyOf(own)));
    }

    /**
     * Declares a device whose driver is not loaded now: nothing runs until
     * {@link #reattachDevice} binds a driver to it.
     */
    public void deviceWithoutDriver(String name, Map<String, String> params, List<UserBuffer> buffers) {
        if (machine.attached.containsKey(name)) {
            throw new IllegalArgumentException("a device named " + name + " is already declared");
        }
        machine.attached.put(name, new Machine.Attached(Map.copyOf(params), List.copyOf(buffers)));
    }

    /**
     * The driver of device {@code name} goes away ({@code ->remove}, its bundle stopped): the
     * device releases everything it maps, dirtying what it could have written, and its task
     * ends at its next step.
     *
     * @throws IllegalArgumentException if no such device is attached
     */
    public void detachDevice(String name) {
        k.devices.detachDevice(name);
    }

    /**
     * Attaches device {@code name} again, now, with the parameters and buffers it was first
     * attached with, driven by {@code type} (the driver is back).
     *
     * @throws IllegalArgumentException if the name was never attached on this machine
     * @throws IllegalStateException    if it is still attached or still releasing its pins
     */
    public void reattachDevice(String name, DeviceType type) {
        Machine.Attached a = machine.attached.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no device named " + name + " was ever attached");
        }
        if (machine.devices().contains(name)) {
            throw new IllegalStateException("device " + name + " is still attached");
        }
        k.devices.attachDevice(machine.metered(DeviceType.class, type), name, a.params(), a.buffers());
    }

    /**
     * Starts a program that stores to, loads from, fsyncs and now and then truncates (then
     * extends again) a mapped file, from {@code startNs}.
     */
    public void writer(String task, Mapping m, int storePct, int loadPct, int fsyncPct, int truncatePct,
                       long maxThinkNs, long startNs) {
        writer(task, m, storePct, loadPct, fsyncPct, truncatePct, 0, maxThinkNs, startNs);
    }

    /**
     * As {@link #writer(String, Mapping, int, int, int, int, long, long)}, and in
     * {@code writePct} percent of its operations the program writes one page with
     * {@code pwrite(2)} ({@code generic_perform_write}) instead of storing through the mapping.
     *
     * @throws IllegalArgumentException if the percentages are negative or add up to more than 100
     */
    public void writer(String task, Mapping m, int storePct, int loadPct, int fsyncPct, int truncatePct,
                       int writePct, long maxThinkNs, long startNs) {
        UserPrograms.WriterMix mix = new UserPrograms.WriterMix(storePct, loadPct, fsyncPct, truncatePct, writePct,
                maxThinkNs);
        machine.engine().spawn(task, UserPrograms.writer(k.programs, m.process.mm, m.vma, mix), startNs);
    }

    /** Starts a memory hog touching {@code pages} anonymous pages per burst, from {@code startNs}. */
    public void hog(String task, Process p, int pages, long maxHoldNs, long startNs) {
        machine.engine().spawn(task, UserPrograms.hog(k.programs, p.mm, pages, maxHoldNs), startNs);
    }

    /**
     * Starts a thread in {@code p} that maps, touches and unmaps {@code pages} of anonymous
     * memory, taking {@code mmap_lock} for write each time, from {@code startNs}.
     */
    public void mapper(String task, Process p, int pages, long maxThinkNs, long startNs) {
        machine.engine().spawn(task, UserPrograms.mapper(k.programs, p.mm, pages, maxThinkNs), startNs);
    }

    /**
     * Starts a thread in {@code reader} that reads {@code pages} entries of
     * {@code target}'s {@code /proc/PID/pagemap} into a fresh buffer, again and again, through
     * {@code version} of {@code pagemap_read}, from {@code startNs} (seed 003).
     */
    public void pagemapReader(String task, Process reader, Process target, int pages, PagemapReader version,
                              long maxThinkNs, long startNs) {
        machine.engine().spawn(task, new UserPrograms.PagemapLoop(k.programs, reader.mm, target.mm, pages, version,
                maxThinkNs), startNs);
    }

    /** {@code ftruncate(2)} to {@code newSize} pages at {@code atNs}. */
    public void truncate(File f, int newSize, long atNs) {
        machine.engine().spawn("truncate", UserPrograms.at(k.programs, atNs, "do_truncate",
                () -> new TruncatePages(k.truncate, f.inode, newSize), "ftruncate", p -> p.result), 0);
    }

    /**
     * {@code madvise(MADV_DONTNEED)} over pages [from, to) of {@code m} at {@code atNs}: the
     * pages are unmapped (anonymous ones dropped), and a huge page the range covers only in
     * part is split into PTE mappings first.
     *
     * @throws IllegalArgumentException if the range is empty or outside the mapping
     */
    public void madviseDontneed(Mapping m, int from, int to, long atNs) {
        madvise(k.mmap.madviseDontneed(m.process.mm, m.vma, from, to), atNs);
    }

    /**
     * {@code madvise(MADV_HWPOISON)} over pages [from, to) of {@code m} at {@code atNs}: each
     * mapped page is poisoned as {@code memory_failure} does, and its next access faults with
     * VM_FAULT_HWPOISON.
     *
     * @throws IllegalArgumentException if the range is empty or outside the mapping
     */
    public void madviseHwpoison(Mapping m, int from, int to, long atNs) {
        madvise(k.mmap.madviseHwpoison(m.process.mm, m.vma, from, to), atNs);
    }

    /** Runs a {@code do_madvise} built now (its range checked now) at {@code atNs}. */
    private void madvise(org.pinlab.sim.Proc call, long atNs) {
        machine.engine().spawn("madvise", UserPrograms.at(k.programs, atNs, "do_madvise", () -> call), 0);
    }

    /** {@code fallocate(FALLOC_FL_PUNCH_HOLE)} over pages [from, to) at {@code atNs}. */
    public void punchHole(File f, int from, int to, long atNs) {
        machine.engine().spawn("punch_hole", UserPrograms.at(k.programs, atNs, "vfs_fallocate",
                () -> TruncatePages.punchHole(k.truncate, f.inode, from, to), "fallocate", p -> p.result), 0);
    }
}
