package org.pinlab.scenarios;

import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.driver.gpu.internal.GpuType;
import org.pinlab.driver.nvme.internal.NvmeType;
import org.pinlab.driver.rdma.internal.RdmaType;
import org.pinlab.fs.dax.internal.DaxType;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.fs.tmpfs.internal.TmpfsType;
import org.pinlab.fs.xfs.internal.XfsType;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc21BitPinTracker;
import org.pinlab.strategies.internal.admission.AdmitAllPins;
import org.pinlab.strategies.internal.admission.RefuseLongtermFileWritePins;
import org.pinlab.strategies.internal.reclaim.IsolatePinnedPages;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.reclaim.ReclaimPinnedPages;
import org.pinlab.strategies.internal.release.BounceReleaseStrategy;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.truncate.DeferFree;
import org.pinlab.strategies.internal.truncate.FailTruncate;
import org.pinlab.strategies.internal.truncate.ProceedWithTruncate;
import org.pinlab.strategies.internal.truncate.RevokePins;
import org.pinlab.strategies.internal.truncate.WaitForIdle;
import org.pinlab.strategies.internal.writeback.SkipPinnedPages;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;
import org.pinlab.strategies.internal.writeback.WaitForUnpin;
import org.pinlab.strategies.internal.writeback.WritePinnedPages;

/**
 * Every implementation bundle's objects, as Karaf would offer them as services. Published in
 * this module's test-jar for plain-classpath tools (the benchmarks).
 */
public final class TestImplementations {

    private TestImplementations() {
    }

    public static Implementations all() {
        return new Implementations()
                .add(Implementations.ALLOCATOR, new BuddyAllocatorService())
                .add(Implementations.PIN_LAYOUT, new MergedPinTracker())
                .add(Implementations.PIN_LAYOUT, new Rfc21BitPinTracker())
                .add(Implementations.RELEASE, new LegacyReleaseStrategy())
                .add(Implementations.RELEASE, new TrackedReleaseStrategy())
                .add(Implementations.RELEASE, new BounceReleaseStrategy())
                .add(Implementations.WRITEBACK, new WritePinnedPages())
                .add(Implementations.WRITEBACK, new SkipPinnedPages())
                .add(Implementations.WRITEBACK, new WaitForUnpin())
                .add(Implementations.WRITEBACK, new SnapshotPinnedPages())
                .add(Implementations.RECLAIM, new ReclaimPinnedPages())
                .add(Implementations.RECLAIM, new KeepPinnedPagesActive())
                .add(Implementations.RECLAIM, new IsolatePinnedPages())
                .add(Implementations.TRUNCATE, new ProceedWithTruncate())
                .add(Implementations.TRUNCATE, new FailTruncate())
                .add(Implementations.TRUNCATE, new WaitForIdle())
                .add(Implementations.TRUNCATE, new RevokePins())
                .add(Implementations.TRUNCATE, new DeferFree())
                .add(Implementations.ADMISSION, new AdmitAllPins())
                .add(Implementations.ADMISSION, new RefuseLongtermFileWritePins())
                .add(Implementations.FILESYSTEM, new Ext4Type())
                .add(Implementations.FILESYSTEM, new XfsType())
                .add(Implementations.FILESYSTEM, new TmpfsType())
                .add(Implementations.FILESYSTEM, new DaxType())
                .add(Implementations.DEVICE, new RdmaType())
                .add(Implementations.DEVICE, new GpuType())
                .add(Implementations.DEVICE, new NvmeType());
    }
}
