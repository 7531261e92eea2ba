package org.pinlab.shell.internal.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.SwapRequest;
import org.pinlab.kernel.Choices;
import org.pinlab.scenarios.LiveRun;
import org.pinlab.scenarios.Scenario;

/**
 * The one live workload of this Karaf: a catalog scenario's machine booted again and
 * again, following the lab's choices as they are swapped. Its machine rebinds when
 * implementations come and go; deactivation (the shell bundle stopping) stops it cleanly.
 */
@Component(service = LiveService.class)
public class LiveService {

    /** The lab as live choices: every answer is what is active at that moment. */
    @Reference
    Choices choices;

    @Reference
    Lab lab;

    private final Runnable onChange = this::changed;
    private LiveRun live;
    /** The lab's last swap before the live run started, and when it stopped (-1 while it runs). */
    private long swapsAfter;
    private long swapsUntil = -1;

    @Activate
    void activate() {
        lab.addListener(onChange);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        lab.removeListener(onChange);
        stop();
    }

    private synchronized void changed() {
        if (live != null) {
            live.implementationsChanged();
        }
    }

    /**
     * Starts a live run of {@code s}; the allocator and pin layout come from the lab (fixed
     * per boot), every policy from the lab as it changes, anything else (such as the pagemap
     * reader) from the scenario's {@code combination}.
     *
     * @throws IllegalStateException if one is running
     */
    public synchronized LiveRun start(Scenario s, String combination, long seed) {
        if (live != null && live.status().state() != LiveRun.State.STOPPED
                && live.status().state() != LiveRun.State.FAILED) {
            throw new IllegalStateException("a live workload is running (" + live.scenario().name()
                    + "); stop it first with pinlab:live stop");
        }
        // what the combination fixes beyond the policies (e.g. the pagemap reader), then the lab's
        // allocator and pin layout; the policy families follow the lab live
        Implementations impls = lab.bound();
        for (Family<?> family : Families.swappedAt(Family.Swap.NEXT_BOOT)) {
            String name = lab.configured(family);
            if (!impls.has(family, name)) {
                throw new IllegalStateException("the lab's " + family + " '" + name + "' is not registered; available: "
                        + String.join(", ", impls.names(family)));
            }
        }
        Map<String, String> fixed = s.combinations().get(combination);
        swapsAfter = lab.lastSwap();
        swapsUntil = -1;
        // each boot takes the lab's allocator and pin layout as they are then
        live = new LiveRun(s, combination, () -> bootFamilies(fixed), lab::bound, choices, seed).start();
        return live;
    }

    private Map<String, String> bootFamilies(Map<String, String> fixed) {
        Map<String, String> families = new LinkedHashMap<>(fixed);
        for (Family<?> family : Families.swappedAt(Family.Swap.NEXT_BOOT)) {
            families.put(family.name(), lab.configured(family));
        }
        return families;
    }

    /**
     * Every change of a choice the lab took while the current (or last) live run ran, in
     * request order, each once; empty if none was started.
     */
    public synchronized List<SwapRequest> swaps() {
        if (live == null) {
            return List.of();
        }
        List<SwapRequest> out = new ArrayList<>();
        for (SwapRequest s : lab.swaps(swapsAfter)) {
            if (swapsUntil < 0 || s.request() <= swapsUntil) {
                out.add(s);
            }
        }
        return out;
    }

    /** Stops the live run, if any; returns it (or null). */
    public LiveRun stop() throws InterruptedException {
        LiveRun l;
        synchronized (this) {
            l = live;
        }
        if (l != null && !l.stop(60_000)) {
            throw new IllegalStateException("the live machine did not stop within 60 s");
        }
        synchronized (this) {
            if (l != null && l == live && swapsUntil < 0) {
                swapsUntil = lab.lastSwap();
            }
        }
        return l;
    }

    /** The current or last live run, or null if none was started. */
    public synchronized LiveRun current() {
        return live;
    }
}
