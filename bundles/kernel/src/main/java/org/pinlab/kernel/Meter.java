package org.pinlab.kernel;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.PhysicalMemory;

/**
 * Counts, per bound implementation, the kernel's calls into it, the calls that failed and the
 * pages it holds pinned now: what {@code pinlab:status} shows per bundle. A {@link Machine}
 * built with a meter reaches every implementation (policies, allocator, pin layout,
 * filesystems and their superblocks, device types and their devices) through a counting
 * proxy; without one it calls them directly, so benchmarks and batch runs pay nothing.
 *
 * <p>A meter only counts: the calls, their arguments, order and results are those of an
 * unmetered machine, so a metered run has the same trace hash. A failed call is one that
 * threw, or returned a negative {@code int} (an errno); for a device, a step whose previous
 * operation (a pin, a fault) came back with an error. Pages held are those of a device's live
 * DMA mappings and, for the pin layout, of every outstanding GUP grab.
 *
 * <p>Not thread-safe: one machine at a time uses a meter, on its own thread (a live run hands
 * the same meter to each boot, so calls and errors add up over the boots).
 */
public final class Meter {

    /**
     * One implementation's figures.
     *
     * @param implementation the implementation as it is bound (never a proxy)
     * @param calls          calls the kernel made into it and into what it created
     * @param errors         of those, the ones that threw or returned an errno
     * @param pagesHeld      pages it holds through GUP now, on the current machine
     */
    public record Count(Pluggable implementation, long calls, long errors, long pagesHeld) {
    }

    /** What the kernel gets from an implementation that it calls again: counted as the implementation. */
    private static final Set<Class<?>> PRODUCTS = Set.of(Superblock.class, Device.class, PinAccounting.class,
            PhysicalMemory.class);

    private static final class Tally {
        long calls;
        long errors;
    }

    private final Map<Pluggable, Tally> tallies = new IdentityHashMap<>();
    private final List<Pluggable> order = new ArrayList<>();
    private final Map<Object, Object> proxies = new IdentityHashMap<>();
    /** The current machine's devices (by their last context) and pin accounting, for pages held. */
    private final Map<Pluggable, List<DeviceContext>> devices = new IdentityHashMap<>();
    private final Map<Pluggable, List<PinAccounting>> accounting = new IdentityHashMap<>();

    /**
     * The machine this meter served is gone (a boot ended, or a new machine starts with this
     * meter): nothing is held any more; calls and errors stay.
     */
    public void machineEnded() {
        devices.clear();
        accounting.clear();
        proxies.clear();
    }

    /**
     * {@code target} as {@code owner}'s, counted: every call through the returned object is one
     * of {@code owner}'s calls. Wrapping the same target twice gives the same proxy.
     */
    public <T> T wrap(Class<T> type, T target, Pluggable owner) {
        if (target == null || Proxy.isProxyClass(target.getClass())) {
            return target;
        }
        Object known = proxies.get(target);
        if (known != null) {
            return type.cast(known);
        }
        if (target instanceof PinAccounting a) {
            accounting.computeIfAbsent(owner, o -> new ArrayList<>()).add(a);
        }
        T proxy = type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Counting(target, owner)));
        proxies.put(target, proxy);
        return proxy;
    }

    /** A view of {@code choices} whose every implementation is counted. */
    Choices choices(Choices choices) {
        return new Choices() {
            @Override
            public <T extends Pluggable> T get(Family<T> family) {
                T p = choices.get(family);
                return wrap(family.type(), p, p);
            }
        };
    }

    /** Every implementation seen so far, in the order the kernel first reached it. */
    public List<Count> counts() {
        List<Count> out = new ArrayList<>(order.size());
        for (Pluggable p : order) {
            Tally t = tallies.get(p);
            out.add(new Count(p, t.calls, t.errors, pagesHeld(p)));
        }
        return out;
    }

    private long pagesHeld(Pluggable p) {
        long pages = 0;
        for (DeviceContext c : devices.getOrDefault(p, List.of())) {
            for (DmaMap m : c.maps()) {
                pages += m.live() ? m.pages() : 0;
            }
        }
        for (PinAccounting a : accounting.getOrDefault(p, List.of())) {
            for (PinRecord r : a.outstanding()) {
                pages += r.pfns().length;
            }
        }
        return pages;
    }

    private Tally tally(Pluggable owner) {
        Tally t = tallies.get(owner);
        if (t == null) {
            t = new Tally();
            tallies.put(owner, t);
            order.add(owner);
        }
        return t;
    }

    private final class Counting implements InvocationHandler {
        private final Object target;
        private final Pluggable owner;
        private final Tally tally;
        private DeviceContext seen;

        Counting(Object target, Pluggable owner) {
            this.target = target;
            this.owner = owner;
            this.tally = tally(owner);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(target);
                    default -> method.invoke(target, args);
                };
            }
            if (method.getDeclaringClass() == Pluggable.class) {
                return method.invoke(target, args); // name() and description(): not kernel paths
            }
            tally.calls++;
            if (target instanceof Device && args != null && args[0] instanceof DeviceContext c) {
                if (seen != c) {
                    seen = c;
                    devices.computeIfAbsent(owner, o -> new ArrayList<>()).add(c);
                }
                if ("step".equals(method.getName()) && c.error() != 0) {
                    tally.errors++; // the operation the device started last step failed
                }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                tally.errors++;
                throw e.getCause();
            }
            if (result instanceof Integer i && i < 0) {
                tally.errors++;
            }
            Class<?> returns = method.getReturnType();
            return result != null && PRODUCTS.contains(returns) ? wrapAs(returns, result, owner) : result;
        }
    }

    private <T> T wrapAs(Class<T> type, Object product, Pluggable owner) {
        return wrap(type, type.cast(product), owner);
    }
}
