package org.pinlab.kernel.internal;

import java.util.Map;

import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.sim.Schedulers;

/** A small machine with one test-ext4 file mapped shared by one process: the scene most tests need. */
public final class Rig {

    public static final long US = 1_000;
    public static final long MS = 1_000_000;

    public final Machine machine;
    public final Kernel k;
    public final Mount mount;
    public final BufferHeadFs.Sb fs;
    public final Inode file;
    public final Mm mm;
    public final Vma map;

    public Rig(int frames, int filePages, Map<String, String> options) {
        this(frames, filePages, options, Machine.builder());
    }

    /** A rig on a machine with pin accounting and the given policy choices. */
    public Rig(Map<String, String> options, org.pinlab.api.gup.PinTracker tracker, org.pinlab.kernel.Choices choices,
        long hungTaskNs) {
        this(4096, 8, options, Machine.builder().pinTracker(tracker).choices(choices)
                .engine(org.pinlab.sim.EngineConfig.DEFAULT.withRaceWindow(1_000).withHungTask(hungTaskNs)));
    }

    private Rig(int frames, int filePages, Map<String, String> options, Machine.Builder builder) {
        this(frames, filePages, options, builder, false);
    }

    private Rig(int frames, int filePages, Map<String, String> options, Machine.Builder builder, boolean stableDisk) {
        machine = builder.seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(frames)).allocator(new BuddyAllocatorService()).build();
        k = MachineKernel.of(machine);
        mount = k.mounts.mount("/mnt", new BufferHeadFs(), options, 4096, stableDisk);
        fs = (BufferHeadFs.Sb) mount.superblock();
        file = k.filemap.createFile(mount, filePages);
        mm = k.mmap.newMm("app");
        map = k.mmap.mmap(mm, filePages, true, true, file, 0);
    }

    public Rig() {
        this(4096, 8, Map.of());
    }

    /** A rig whose disk has {@code queue/stable_writes} as given ({@code bdev_stable_writes}). */
    public static Rig onDisk(boolean stableWrites) {
        return new Rig(4096, 8, Map.of(), Machine.builder(), stableWrites);
    }

    public long vpn(int index) {
        return map.startVpn() + index;
    }

    /** Spawns a scripted task. */
    public Script task(String name) {
        Script s = new Script(name);
        machine.engine().spawn(name, s, 0);
        return s;
    }

    public Rig runUntil(long ns) {
        machine.runUntil(ns);
        return this;
    }

    public int count(org.pinlab.api.finding.FindingKind kind) {
        return machine.engine().count(kind);
    }

    /** The frame caching a file page, or -1. */
    public int pfnOf(int index) {
        return file.mapping.lookup(index);
    }
}
