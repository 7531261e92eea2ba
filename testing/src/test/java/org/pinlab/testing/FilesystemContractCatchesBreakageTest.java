package org.pinlab.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.MountOptions;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.fs.Superblock;

/** The filesystem contract fails a filesystem whose writepage drops its page without writing it. */
class FilesystemContractCatchesBreakageTest {

    @Test
    void aWritepageThatNeitherStartsWritebackNorRedirtiesFailsTheWritebackChecks() {
        ContractOutcomes.of(ForgetfulFsContract.class).assertExactly(
                Set.of("writepageLeavesItsPageUnderIoOrRedirtiedAndTheDataReachesDisk",
                        "aWriteFaultOnACleanSharedPageCallsPageMkwriteBeforeTheDirtying",
                        "truncateRemovesThePagesInvalidatesThemAndFreesTheirBlocks",
                        "aWritebackIoErrorReachesEachFsyncOnce"),
                Set.of("everyDirtyingPathCallsDirtyFolio", "aMountOptionTheTypeRefusesIsAnIllegalArgumentNamingIt"),
                Set.of());
    }

    /** Not run by surefire on its own (nested): the suite against the broken filesystem. */
    static class ForgetfulFsContract extends FilesystemContract {
        @Override
        protected FilesystemType filesystemType() {
            return new ForgetfulFs();
        }
    }

    /**
     * One block per page, allocated at page_mkwrite; its writepage returns 0 having done nothing:
     * no folio_start_writeback, no bio, no redirty, so the data is clean and never written.
     */
    static final class ForgetfulFs implements FilesystemType {

        private static final MountOptions OPTIONS = MountOptions.of("forgetful");

        @Override
        public Superblock mount(FsKernel kernel, Map<String, String> options) {
            OPTIONS.parse(options);
            Map<Long, Long> blocks = new HashMap<>();
            return new Superblock() {
                @Override
                public String typeName() {
                    return "forgetful";
                }

                @Override
                public boolean needsPageMkwrite() {
                    return true;
                }

                @Override
                public boolean stableWrites() {
                    return false;
                }

                @Override
                public int pageMkwrite(PageRef page) {
                    blocks.putIfAbsent(key(page.inode(), page.index()), (long) blocks.size());
                    return 0;
                }

                @Override
                public int writepage(PageRef page) {
                    return 0; // the breakage
                }

                @Override
                public int readPage(PageRef page) {
                    kernel.zeroPage(page);
                    return 0;
                }

                @Override
                public boolean releasePage(PageRef page) {
                    return true;
                }

                @Override
                public void invalidatePage(PageRef page) {
                }

                @Override
                public void freeBlocks(int inode, int from, int to) {
                    for (int i = from; i < to; i++) {
                        blocks.remove(key(inode, i));
                    }
                }

                @Override
                public long mappedBlock(int inode, int index) {
                    return blocks.getOrDefault(key(inode, index), -1L);
                }
            };
        }

        private static long key(int inode, int index) {
            return ((long) inode << 32) | index;
        }

        @Override
        public String name() {
            return "forgetful";
        }

        @Override
        public String description() {
            return "a broken filesystem for the contract's own test";
        }
    }
}
