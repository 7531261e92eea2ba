package org.pinlab.testing;

import java.util.Map;
import java.util.Objects;

import org.pinlab.api.families.Families;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.Superblock;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.OpenFile;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.GenericPerformWrite;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.truncate.TruncatePages;
import org.pinlab.sim.Proc;

/**
 * The scene of a filesystem contract test: the filesystem under test mounted at {@code /mnt}
 * through a {@link RecordingSuperblock}, one file of {@link #PAGES} pages mapped shared and
 * writable by one process, and the kernel paths a test drives on it. Drivers release the way
 * {@code tracked} says (unpin_user_pages_dirty_lock); every other family is the kernel's own.
 */
final class FsRig {

    static final int PAGES = 4;
    static final int BLOCKS = 1024;

    final ContractMachine cm;
    final FsCallLog log = new FsCallLog();
    final Mount mount;
    final Superblock sb;
    final Inode file;
    final Mm mm;
    final Vma map;
    private RecordingFsKernel fsKernel;

    FsRig(FilesystemType type, Map<String, String> options) {
        cm = new ContractMachine(Shipped.merged(), Choices.fixed(Map.of(Families.RELEASE, Shipped.tracked())));
        mount = cm.k.mounts.mount("/mnt", recording(type), options, BLOCKS);
        sb = mount.superblock();
        file = cm.k.filemap.createFile(mount, PAGES);
        mm = cm.k.mmap.newMm("app");
        map = cm.k.mmap.mmap(mm, PAGES, true, true, file, 0);
    }

    /** The type under test, each mount seen through the recorders. */
    private FilesystemType recording(FilesystemType type) {
        return new FilesystemType() {
            @Override
            public Superblock mount(FsKernel kernel, Map<String, String> options) {
                fsKernel = new RecordingFsKernel(kernel);
                Superblock real = Objects.requireNonNull(type.mount(fsKernel, options),
                        type.name() + ".mount returned null");
                return new RecordingSuperblock(real, log, fsKernel, (ino, index) -> ino == file.ino
                        && file.mapping.lookup(index) >= 0);
            }

            @Override
            public String name() {
                return type.name();
            }

            @Override
            public String description() {
                return type.description();
            }
        };
    }

    RecordingFsKernel fsKernel() {
        return fsKernel;
    }

    /** A CPU store to page {@code index} through the mapping ({@code do_user_addr_fault} on a miss). */
    Proc store(int index) {
        return new UserAccess(cm.k.memory, mm, map.startVpn() + index, true);
    }

    /** A CPU load of page {@code index} through the mapping. */
    Proc load(int index) {
        return new UserAccess(cm.k.memory, mm, map.startVpn() + index, false);
    }

    /** {@code pwrite(2)} of page {@code index}: {@code generic_perform_write}. */
    Proc write(int index) {
        return new GenericPerformWrite(cm.k.memory, file, index);
    }

    /** {@code fsync(2)} through {@code open} (an {@link OpenFile} of its own). */
    Fsync fsync(OpenFile f) {
        return new Fsync(cm.k.fsWriteback, f);
    }

    /** {@code ftruncate(2)} to {@code pages}: {@code truncate_pagecache} and the filesystem's block freeing. */
    Proc truncate(int pages) {
        return new TruncatePages(cm.k.truncate, file, pages);
    }

    /** A driver's DMA mapping of {@code pages} pages from {@code index}, writable ({@code ib_umem_get}). */
    DmaMapping dma(int index, int pages) {
        return new DmaMapping(cm.k.devices, "mlx5_0", mm, map.startVpn() + index, pages, true, true);
    }

    /** The frame caching page {@code index}, or -1. */
    int pfn(int index) {
        return file.mapping.lookup(index);
    }

    int flags(int index) {
        int pfn = pfn(index);
        return pfn < 0 ? 0 : cm.k.frames.flags(pfn);
    }

    /**
     * The content token page {@code index} holds in memory: the frame the process maps (for DAX,
     * its pmem frame), else the page cache's, else 0.
     */
    long memoryToken(int index) {
        int pfn = (map.pte[index] & Vma.PTE_PRESENT) != 0 ? map.pfn[index] : pfn(index);
        return pfn < 0 ? 0 : cm.k.frames.token(pfn);
    }

    /** What the medium holds for page {@code index}: the token of its block, or 0 for a hole. */
    long diskToken(int index) {
        long block = sb.mappedBlock(file.ino, index);
        return block < 0 ? 0 : mount.durable(block);
    }
}
