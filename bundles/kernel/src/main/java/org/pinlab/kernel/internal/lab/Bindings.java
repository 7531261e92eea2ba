package org.pinlab.kernel.internal.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;

/**
 * The registered implementations of one family. Services come and go on OSGi threads while
 * machines read: the list is published as an immutable snapshot, sorted by name so that
 * every listing is deterministic.
 */
final class Bindings<T extends Pluggable> {

    private final Family<T> family;
    private volatile List<T> members = List.of();
    /** Where each member came from: bundle symbolic name and version. */
    private final Map<Pluggable, String[]> origins = new ConcurrentHashMap<>();

    Bindings(Family<T> family) {
        this.family = family;
    }

    Family<T> family() {
        return family;
    }

    synchronized void add(Pluggable member, String bundle, String version) {
        origins.put(member, new String[] {bundle, version});
        List<T> next = new ArrayList<>(members);
        next.add(family.cast(member));
        next.sort(Comparator.comparing(Pluggable::name));
        members = List.copyOf(next);
    }

    synchronized void remove(Pluggable member) {
        origins.remove(member);
        List<T> next = new ArrayList<>(members);
        next.remove(member);
        members = List.copyOf(next);
    }

    /** The bundle symbolic name and version that registered {@code member}. */
    String[] origin(Pluggable member) {
        return origins.getOrDefault(member, new String[] {"classpath", ""});
    }

    List<T> members() {
        return members;
    }

    T find(String wanted) {
        for (T m : members) {
            if (m.name().equals(wanted)) {
                return m;
            }
        }
        return null;
    }

    List<String> names() {
        return members.stream().map(Pluggable::name).toList();
    }
}
