package org.pinlab.fs.dax.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.fs.testing.FakeFsKernel.writeback;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.fs.testing.FakeFsKernel;
import org.pinlab.api.fs.testing.FakePage;

class DaxSuperblockTest {

    private static final int INO = 7;

    private final FakeFsKernel kernel = new FakeFsKernel(3);
    private final DaxSuperblock sb = new DaxSuperblock(kernel, true);

    @Test
    void aHoleIsUnmappedUntilAWriteFaultAllocatesAZeroedBlock() {
        assertEquals(-1, sb.mappedBlock(INO, 4));
        assertEquals(0, sb.allocateBlock(INO, 4));
        assertEquals(0, sb.mappedBlock(INO, 4));
        assertEquals(List.of(0L), kernel.zeroedBlocks);
        assertEquals(2, sb.freeBlockCount());
    }

    @Test
    void allocatingAMappedPageAgainReturnsItsBlockWithoutZeroingIt() {
        long first = sb.allocateBlock(INO, 0);
        assertEquals(first, sb.allocateBlock(INO, 0));
        assertEquals(List.of(first), kernel.zeroedBlocks);
        assertEquals(2, sb.freeBlockCount());
    }

    @Test
    void aFullDeviceFailsTheAllocationWithEnospcAndMapsNothing() {
        sb.allocateBlock(INO, 0);
        sb.allocateBlock(INO, 1);
        sb.allocateBlock(INO, 2);
        assertEquals(Errno.ENOSPC.negative(), sb.allocateBlock(INO, 3));
        assertEquals(-1, sb.mappedBlock(INO, 3));
        assertEquals(3, kernel.zeroedBlocks.size());
    }

    @Test
    void freedBlocksGoBackLowestFirstAndAreZeroedBeforeAnotherFileSeesThem() {
        sb.allocateBlock(INO, 0);
        sb.allocateBlock(INO, 1);
        sb.allocateBlock(INO, 2);
        sb.freeBlocks(INO, 1, 3);
        assertEquals(-1, sb.mappedBlock(INO, 1));
        assertEquals(-1, sb.mappedBlock(INO, 2));
        assertEquals(0, sb.mappedBlock(INO, 0));
        assertEquals(1, sb.allocateBlock(INO + 1, 0), "the block the truncate freed is handed out again");
        assertEquals(2, sb.allocateBlock(INO + 1, 1));
        assertEquals(List.of(0L, 1L, 2L, 1L, 2L), kernel.zeroedBlocks);
    }

    @Test
    void freeingAHoleChangesNothing() {
        sb.allocateBlock(INO, 0);
        sb.freeBlocks(INO, 5, 9);
        assertEquals(2, sb.freeBlockCount());
        assertEquals(0, sb.mappedBlock(INO, 0));
    }

    @Test
    void filesDoNotShareBlocks() {
        long a = sb.allocateBlock(1, 0);
        long b = sb.allocateBlock(2, 0);
        assertTrue(a != b);
        assertEquals(a, sb.mappedBlock(1, 0));
        assertEquals(b, sb.mappedBlock(2, 0));
    }

    @Test
    void aPageThatReachesWritebackAnywayFailsWithoutStartingWriteback() {
        FakePage page = new FakePage(INO, 0);
        assertEquals(Errno.EIO.negative(), writeback(sb, page));
        assertTrue(kernel.writes.isEmpty());
        assertTrue(kernel.started.isEmpty(), "no ->writepage in dax_aops: nothing is started");
        assertTrue(kernel.unsubmitted.isEmpty());
    }

    @Test
    void nothingIsEverReadIntoAPageCachePage() {
        assertEquals(Errno.EIO.negative(), sb.readPage(new FakePage(INO, 0)));
        assertTrue(kernel.reads.isEmpty());
        assertTrue(kernel.zeroed.isEmpty());
    }
}
