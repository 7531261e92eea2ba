package org.pinlab.shell.internal.lab;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
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
 * One service tracker follows every family's service interface. Services come and go on
 * OSGi threads; {@link #snapshot()} hands out an immutable view for one load or one run,
 * and listeners hear about every change (a live machine rebinds).
 */
@Component(service = Registry.class, immediate = true)
public class Registry {

    /** The family of each service interface, by interface name. */
    private static final Map<String, String> FAMILIES = Map.of(
            PageAllocator.class.getName(), PageAllocator.FAMILY,
            PinTracker.class.getName(), PinTracker.FAMILY,
            ReleaseStrategy.class.getName(), ReleaseStrategy.FAMILY,
            WritebackPolicy.class.getName(), WritebackPolicy.FAMILY,
            ReclaimPolicy.class.getName(), ReclaimPolicy.FAMILY,
            TruncatePolicy.class.getName(), TruncatePolicy.FAMILY,
            AdmissionPolicy.class.getName(), AdmissionPolicy.FAMILY,
            FilesystemType.class.getName(), FilesystemType.FAMILY,
            DeviceType.class.getName(), DeviceType.FAMILY);

    private record Entry(String family, Pluggable implementation) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();
    private ServiceTracker<Pluggable, Entry> tracker;

    @Activate
    void activate(BundleContext context) throws InvalidSyntaxException {
        StringBuilder filter = new StringBuilder("(|");
        FAMILIES.keySet().stream().sorted().forEach(name -> filter.append("(objectClass=").append(name).append(')'));
        tracker = new ServiceTracker<>(context, context.createFilter(filter.append(')').toString()), null) {
            @Override
            public Entry addingService(ServiceReference<Pluggable> ref) {
                Pluggable p = context.getService(ref);
                Entry e = new Entry(family(ref, p), p);
                entries.add(e);
                changed();
                return e;
            }

            @Override
            public void removedService(ServiceReference<Pluggable> ref, Entry e) {
                entries.remove(e);
                context.ungetService(ref);
                changed();
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    /** The family a service belongs to, by the interface it was registered under. */
    private static String family(ServiceReference<?> ref, Pluggable p) {
        for (String objectClass : (String[]) ref.getProperty("objectClass")) {
            String family = FAMILIES.get(objectClass);
            if (family != null) {
                return family;
            }
        }
        throw new IllegalStateException("not a pinlab family: " + p);
    }

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

    private void changed() {
        version.incrementAndGet();
        for (Runnable l : listeners) {
            l.run();
        }
    }
}
