package org.pinlab.scenarios;

import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Implementations;
import org.pinlab.driver.gpu.internal.GpuType;
import org.pinlab.driver.nvme.internal.NvmeType;
import org.pinlab.driver.rdma.internal.RdmaType;
import org.pinlab.fs.btrfs.internal.BtrfsType;
import org.pinlab.fs.dax.internal.DaxType;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.fs.tmpfs.internal.TmpfsType;
import org.pinlab.fs.xfs.internal.XfsType;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc2019PinTracker;
import org.pinlab.gup.internal.FollPin2019PinTracker;
import org.pinlab.strategies.internal.admission.AdmitAllPins;
import org.pinlab.strategies.internal.admission.RefuseLongtermFileWritePins;
import org.pinlab.strategies.internal.reclaim.IsolatePinnedPages;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActiveEarly;
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
                .add(Families.ALLOCATOR, new BuddyAllocatorService())
                .add(Families.PIN_LAYOUT, new MergedPinTracker())
                .add(Families.PIN_LAYOUT, new FollPin2019PinTracker())
                .add(Families.PIN_LAYOUT, new Rfc2019PinTracker())
                .add(Families.RELEASE, new LegacyReleaseStrategy())
                .add(Families.RELEASE, new TrackedReleaseStrategy())
                .add(Families.RELEASE, new BounceReleaseStrategy())
                .add(Families.WRITEBACK, new WritePinnedPages())
                .add(Families.WRITEBACK, new SkipPinnedPages())
                .add(Families.WRITEBACK, new WaitForUnpin())
                .add(Families.WRITEBACK, new SnapshotPinnedPages())
                .add(Families.RECLAIM, new ReclaimPinnedPages())
                .add(Families.RECLAIM, new KeepPinnedPagesActive())
                .add(Families.RECLAIM, new KeepPinnedPagesActiveEarly())
                .add(Families.RECLAIM, new IsolatePinnedPages())
                .add(Families.TRUNCATE, new ProceedWithTruncate())
                .add(Families.TRUNCATE, new FailTruncate())
                .add(Families.TRUNCATE, new WaitForIdle())
                .add(Families.TRUNCATE, new RevokePins())
                .add(Families.TRUNCATE, new DeferFree())
                .add(Families.ADMISSION, new AdmitAllPins())
                .add(Families.ADMISSION, new RefuseLongtermFileWritePins())
                .add(Families.FILESYSTEM, new Ext4Type())
                .add(Families.FILESYSTEM, new XfsType())
                .add(Families.FILESYSTEM, new TmpfsType())
                .add(Families.FILESYSTEM, new DaxType())
                .add(Families.FILESYSTEM, new BtrfsType())
                .add(Families.DEVICE, new RdmaType())
                .add(Families.DEVICE, new GpuType())
                .add(Families.DEVICE, new NvmeType());
    }
}
