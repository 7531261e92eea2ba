package org.pinlab.kernel.internal.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.pinlab.api.lab.Pluggable;

/**
 * The registered implementations of one pluggable family. Services come and go on
 * OSGi threads while machines read: the list is published as an immutable snapshot,
 * sorted by name so that every listing is deterministic.
 */
final class Family<T extends Pluggable> {

    private final String name;
    private final String fallback;
    private volatile List<T> members = List.of();

    Family(String name, String fallback) {
        this.name = name;
        this.fallback = fallback;
    }

    String name() {
        return name;
    }

    /** The documented default, used when the configured implementation is not registered. */
    String fallback() {
        return fallback;
    }

    synchronized void add(T member) {
        List<T> next = new ArrayList<>(members);
        next.add(member);
        next.sort(Comparator.comparing(Pluggable::name));
        members = List.copyOf(next);
    }

    synchronized void remove(T member) {
        List<T> next = new ArrayList<>(members);
        next.remove(member);
        members = List.copyOf(next);
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
