package org.pinlab.kernel.internal;

import java.util.HashMap;
import java.util.Map;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.PageFlags;

/**
 * A test-only ext4-like filesystem, written through the SPI only: {@code page_mkwrite}
 * attaches buffer heads and allocates the block, {@code writepage} insists on them with
 * {@code BUG_ON(!PagePrivate)} (fs/ext4/inode.c before v5.18), {@code releasepage} drops
 * them from clean pages. The real ext4 bundle comes later; this one pins the kernel down.
 */
public final class BufferHeadFs implements FilesystemType {

    @Override
    public String name() {
        return "bh-test";
    }

    @Override
    public String description() {
        return "test filesystem with buffer heads and ext4's writepage BUG_ON";
    }

    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!key.equals("stable") && !key.equals("drop") && !key.equals("warn") && !key.equals("eio")
                    && !key.equals("redirty")) {
                throw new IllegalArgumentException("unknown mount option '" + key + "'");
            }
        }
        Sb sb = new Sb(kernel, Boolean.parseBoolean(options.getOrDefault("stable", "false")));
        sb.drop = Boolean.parseBoolean(options.getOrDefault("drop", "false"));
        sb.warnOnWrite = Boolean.parseBoolean(options.getOrDefault("warn", "false"));
        sb.eio = Integer.parseInt(options.getOrDefault("eio", "0"));
        sb.redirty = Integer.parseInt(options.getOrDefault("redirty", "0"));
        return sb;
    }

    public static final class Sb implements Superblock {
        private final FsKernel kernel;
        private final boolean stable;
        private final Map<Long, Long> blocks = new HashMap<>();
        private final java.util.ArrayDeque<Long> freed = new java.util.ArrayDeque<>();
        private long nextBlock;
        /** A broken filesystem for the oracle tests: writepage forgets to submit the I/O. */
        boolean drop;
        /** Warns on every writepage, for the WARN oracle test. */
        boolean warnOnWrite;
        /** How many writepages still fail with -EIO (the device refused the write), for errseq tests. */
        int eio;
        /** How many writepages still give the page back dirty (folio_redirty_for_writepage). */
        int redirty;
        /** How often ->dirty_folio ran. */
        public int dirtyFolios;
        /** How often page_mkwrite ran. */
        public int mkwrites;

        Sb(FsKernel kernel, boolean stable) {
            this.kernel = kernel;
            this.stable = stable;
        }

        private static long key(int inode, int index) {
            return ((long) inode << 32) | index;
        }

        @Override
        public String typeName() {
            return "ext4";
        }

        @Override
        public boolean needsPageMkwrite() {
            return true;
        }

        @Override
        public boolean stableWrites() {
            return stable;
        }

        @Override
        public int pageMkwrite(PageRef page) {
            // ext4_page_mkwrite -> block_page_mkwrite: allocate and attach buffers
            mkwrites++;
            long key = key(page.inode(), page.index());
            if (!blocks.containsKey(key)) {
                if (freed.isEmpty() && nextBlock == kernel.blocks()) {
                    return Errno.ENOSPC.negative();
                }
                blocks.put(key, freed.isEmpty() ? nextBlock++ : freed.pollFirst());
            }
            if (!page.hasPrivate()) {
                page.attachPrivate(1);
            }
            return 0;
        }

        @Override
        public void dirtyFolio(PageRef page) {
            dirtyFolios++;
        }

        @Override
        public int writepage(PageRef page) {
            if (!page.hasPrivate()) {
                // ext4_writepage -> page_buffers(): BUG_ON(!PagePrivate(page))
                kernel.bug("ext4_writepage", "kernel BUG at fs/ext4/inode.c:1899! page " + page.index()
                        + " of inode " + page.inode() + " has no buffers (!PagePrivate) in ext4_writepage");
                return 0;
            }
            if (warnOnWrite) {
                kernel.warn("ext4_writepage", "ext4_writepage: warning for page " + page.index());
            }
            if (redirty > 0) {
                redirty--;
                kernel.redirtyForWritepage(page); // cannot write it now: a later pass will
                return 0;
            }
            if (eio > 0) {
                eio--;
                return org.pinlab.api.errno.Errno.EIO.negative(); // a failed write, and the filesystem says so
            }
            kernel.startWriteback(page);
            if (drop) {
                kernel.endWritebackUnsubmitted(page); // the bug under test: the data never leaves
                return 0;
            }
            kernel.submitWrite(page, blocks.get(key(page.inode(), page.index())));
            return 0;
        }

        @Override
        public int readPage(PageRef page) {
            Long block = blocks.get(key(page.inode(), page.index()));
            if (block == null) {
                kernel.zeroPage(page);
            } else {
                kernel.submitRead(page, block);
            }
            return 0;
        }

        @Override
        public boolean releasePage(PageRef page) {
            // ext4_release_folio -> try_to_free_buffers: only clean, idle buffers
            if (page.test(PageFlags.DIRTY) || page.test(PageFlags.WRITEBACK)) {
                return false;
            }
            page.detachPrivate();
            return true;
        }

        @Override
        public void invalidatePage(PageRef page) {
            page.detachPrivate();
        }

        @Override
        public void freeBlocks(int inode, int from, int to) {
            for (int i = from; i < to; i++) {
                Long b = blocks.remove(key(inode, i));
                if (b != null) {
                    freed.addLast(b);
                }
            }
        }

        @Override
        public long mappedBlock(int inode, int index) {
            Long b = blocks.get(key(inode, index));
            return b == null ? -1 : b;
        }
    }
}
