package org.pinlab.shell.internal.lab;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.scenarios.Implementations;

/**
 * Every implementation registered in the framework, by family: what a scenario may name.
 * Services come and go on OSGi threads; {@link #snapshot()} hands out an immutable view for
 * one load or one run, and listeners hear about every change (a live machine rebinds).
 */
@Component(service = Registry.class, immediate = true)
public class Registry {

    private record Entry(String family, Pluggable implementation) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();

    /** The implementations registered now. */
    public Implementations snapshot() {
        Implementations out = new Implementations();
        for (Entry e : entries) {
            out.add(e.family(), e.implementation());
        }
        return out;
    }

    /** Grows by one at every registration or unregistration. */
    public long version() {
        return version.get();
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void added(String family, Pluggable p) {
        entries.add(new Entry(family, p));
        changed();
    }

    private void removed(Pluggable p) {
        entries.removeIf(e -> e.implementation() == p);
        changed();
    }

    private void changed() {
        version.incrementAndGet();
        for (Runnable l : listeners) {
            l.run();
        }
    }

    // ---- one dynamic, greedy reference per family ---------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAllocator(PageAllocator p) {
        added(Implementations.ALLOCATOR, p);
    }

    void removeAllocator(PageAllocator p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPinTracker(PinTracker p) {
        added(Implementations.PIN_LAYOUT, p);
    }

    void removePinTracker(PinTracker p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRelease(ReleaseStrategy p) {
        added(Implementations.RELEASE, p);
    }

    void removeRelease(ReleaseStrategy p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addWriteback(WritebackPolicy p) {
        added(Implementations.WRITEBACK, p);
    }

    void removeWriteback(WritebackPolicy p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addReclaim(ReclaimPolicy p) {
        added(Implementations.RECLAIM, p);
    }

    void removeReclaim(ReclaimPolicy p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTruncate(TruncatePolicy p) {
        added(Implementations.TRUNCATE, p);
    }

    void removeTruncate(TruncatePolicy p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAdmission(AdmissionPolicy p) {
        added(Implementations.ADMISSION, p);
    }

    void removeAdmission(AdmissionPolicy p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFilesystem(FilesystemType p) {
        added(Implementations.FILESYSTEM, p);
    }

    void removeFilesystem(FilesystemType p) {
        removed(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDevice(DeviceType p) {
        added(Implementations.DEVICE, p);
    }

    void removeDevice(DeviceType p) {
        removed(p);
    }
}
