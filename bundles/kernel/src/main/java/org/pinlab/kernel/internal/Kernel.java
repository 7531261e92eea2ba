package org.pinlab.kernel.internal;


import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.bio.BlockIo;
import org.pinlab.kernel.internal.drivers.Devices;
import org.pinlab.kernel.internal.frames.ContentTokens;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.RunMetrics;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.frames.ZoneDevice;
import org.pinlab.kernel.internal.fs.dax.Dax;
import org.pinlab.kernel.internal.fs.namespace.Mounts;
import org.pinlab.kernel.internal.fs.writeback.FsWriteback;
import org.pinlab.kernel.internal.locking.LockClass;
import org.pinlab.kernel.internal.locking.LockValidator;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inodes;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.UserRange;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.backing.BdiWriteback;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.gup.Gup;
import org.pinlab.kernel.internal.mm.memory.Memory;
import org.pinlab.kernel.internal.mm.migrate.Migrate;
import org.pinlab.kernel.internal.mm.mmap.Mmap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.rmap.Rmap;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.mm.truncate.Truncate;
import org.pinlab.kernel.internal.mm.vmscan.Vmscan;
import org.pinlab.kernel.internal.mm.writeback.PageWriteback;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.kernel.internal.printk.Printk;
import org.pinlab.kernel.internal.programs.Programs;
import org.pinlab.sim.Engine;

/**
 * One machine's kernel, wired: one object per kernel source file it models, each owning
 * its state and built from the ones below it (the layer order is in the README and in
 * {@code KernelLayersTest}). This class holds no kernel state of its own: it builds the
 * layers, hands the pin tracker the folio counters, and starts a shutdown.
 */
public final class Kernel {

    public final Engine engine;
    public final CostTable costs;
    public final PhysicalMemory phys;
    public final FrameStore frames;
    public final FolioPins pins = new FolioPins();
    public final ZoneDevice zoneDevice = new ZoneDevice();
    public final ContentTokens tokens = new ContentTokens();
    public final RunMetrics metrics;
    public final VmCounters vm;
    public final Printk printk;
    public final LockValidator lockdep;
    public final LockClass mmapLockClass;
    public final PageLocks pageLocks;
    public final Inodes inodes = new Inodes();
    public final Oracles oracles;
    public final PageAlloc pageAlloc;
    public final Lru lru;
    public final PageRefs refs;
    public final BdiWriteback wb = new BdiWriteback();
    public final Filemap filemap;
    public final Rmap rmap;
    public final BlockIo blockIo;
    public final Mmap mmap;
    public final Migrate migrate;
    public final Dax dax;
    public final Mounts mounts;
    public final PageWriteback writeback;
    public final FsWriteback fsWriteback;
    public final Vmscan vmscan;
    public final Truncate truncate;
    public final Memory memory;
    public final Gup gup;
    public final Devices devices;
    public final Programs programs;

    public Kernel(Engine engine, CostTable costs, PhysicalMemory phys, boolean lockdepEnabled, Choices choices) {
        this.engine = engine;
        this.costs = costs;
        this.phys = phys;
        frames = new FrameStore((int) phys.layout().totalFrames());
        metrics = new RunMetrics(engine, frames);
        vm = new VmCounters(pins, metrics);
        printk = new Printk(engine);
        lru = new Lru(frames);
        lockdep = new LockValidator(engine, lockdepEnabled);
        mmapLockClass = lockdep.mmapLockClass();
        pageLocks = new PageLocks(engine, frames, lockdep, costs.ns(Cost.LOCK));
        oracles = new Oracles(engine, frames, inodes, pins, zoneDevice);
        vm.count(Vmstat.NR_FREE_PAGES, phys.freeFrames(Zone.NORMAL) + phys.freeFrames(Zone.MOVABLE));
        pageAlloc = new PageAlloc(phys, frames, vm, oracles);
        refs = new PageRefs(engine, frames, lru, phys, vm, oracles);
        filemap = new Filemap(engine, frames, lru, vm, inodes, oracles, metrics, zoneDevice, wb, pageLocks, refs);
        rmap = new Rmap(frames, filemap, refs);
        blockIo = new BlockIo(engine, costs, frames, vm, oracles, pageLocks, filemap, refs);
        mmap = new Mmap(engine, costs, lockdep, mmapLockClass, phys, frames, vm, lru, tokens, rmap);
        migrate = new Migrate(engine, costs, frames, vm, lru, pageLocks, pageAlloc, refs, filemap, mmap);
        dax = new Dax(frames, zoneDevice, pins, pageAlloc, refs, filemap, oracles);
        mounts = new Mounts(engine, frames, printk, blockIo, dax);
        writeback = new PageWriteback(engine, costs, choices, frames, vm, pins, printk, pageLocks, pageAlloc, refs,
                filemap, rmap, blockIo);
        fsWriteback = new FsWriteback(engine, costs, inodes, oracles, wb, writeback);
        mounts.deferred(new org.pinlab.kernel.internal.fs.writeback.FilesystemWork(engine, pageLocks, refs, filemap,
                writeback));
        vmscan = new Vmscan(engine, costs, choices, frames, vm, pins, metrics, lru, pageLocks, pageAlloc, refs, filemap,
                rmap, wb, oracles);
        truncate = new Truncate(engine, costs, choices, frames, pins, oracles, inodes, pageLocks, refs, filemap, rmap,
                dax);
        memory = new Memory(engine, costs, frames, vm, tokens, oracles, lockdep, mmapLockClass, pageLocks, lru,
                pageAlloc, refs, filemap, rmap, dax, vmscan);
        gup = new Gup(engine, costs, choices, frames, vm, pins, printk, pageAlloc, refs, filemap, migrate, memory,
                vmscan, truncate);
        devices = new Devices(engine, costs, choices, frames, vm, pins, metrics, oracles, printk, tokens, pageLocks,
                pageAlloc, refs, filemap, dax, truncate, gup);
        truncate.revokeWith(devices::revokePins);
        programs = new Programs(engine, costs, metrics, pageLocks, refs, filemap, mmap, memory, truncate, fsWriteback,
                gup, devices);
    }

    /** Uses a pin tracker's accounting for every FOLL_GET and FOLL_PIN grab from now on. */
    public void usePinTracker(PinTracker tracker) {
        if (pins.hasTracker() && !pins.accounting().outstanding().isEmpty()) {
            throw new IllegalStateException("pins are outstanding: the pin layout is fixed for a machine's life");
        }
        pins.use(tracker.create(gup.folioCounters()));
    }

    /** Asks every workload loop to exit at its next loop head (processes exiting before sync). */
    public void beginShutdown() {
        programs.beginShutdown();
        devices.beginShutdown();
    }

    /**
     * A buffer for devices: pages [offset, offset + pages) of a VMA.
     *
     * @throws IllegalArgumentException if the range does not fit the VMA
     */
    public UserRange userBuffer(String name, Mm mm, Vma vma, int offset, int pages) {
        return new UserRange(name, mm, vma, offset, pages);
    }
}
