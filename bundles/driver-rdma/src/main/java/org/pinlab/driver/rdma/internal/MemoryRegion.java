package org.pinlab.driver.rdma.internal;

import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.UserBuffer;

/**
 * The memory region ({@code struct ib_mr}) an application registers on one buffer, again
 * and again: registration, remote DMA for a drawn lifetime, deregistration, a pause. A small
 * event machine inside the NIC's task: {@link #dueAt} says when it next wants to act.
 */
abstract class MemoryRegion {

    /** No further action: the region has made all its registrations, or gave up. */
    static final long NEVER = Long.MAX_VALUE;

    final DeviceContext ctx;
    final RdmaConfig config;
    final UserBuffer buffer;
    /** The region's place among its NIC's regions: the order ties are taken in. */
    final int index;
    /** When the region next wants a step: register, access, or deregister. */
    long dueAt;
    /** Registered now: between ibv_reg_mr returning and ibv_dereg_mr. */
    boolean registered;
    /** The current window: buffer pages [first, first + pages). */
    int first;
    int pages;
    private long expiresAt;
    private long registrations;

    MemoryRegion(DeviceContext ctx, RdmaConfig config, UserBuffer buffer, int index) {
        this.ctx = ctx;
        this.config = config;
        this.buffer = buffer;
        this.index = index;
        this.dueAt = config.startNs(); // the first registration
    }

    /** Acts at or after {@link #dueAt}; true if it started an operation that takes time. */
    abstract boolean act();

    /** Takes the outcome of this region's operation of the previous step; true if it started another. */
    abstract boolean resume();

    /** Starts the release of one revoked mapping, if it has one to give back now. */
    boolean releaseRevoked() {
        return false;
    }

    /** Whether it holds a mapping the kernel revoked that it has not given back yet. */
    boolean holdsRevoked() {
        return false;
    }

    /** Whether {@code map} is one of this region's mappings. */
    boolean owns(DmaMap map) {
        return false;
    }

    /** The device's answer to a revoke of one of its mappings. */
    boolean revoke(DmaMap map) {
        return false;
    }

    /** An MMU notifier invalidation of pages of some buffer of the device. */
    void invalidate(Invalidation invalidation) {
    }

    final boolean done() {
        return dueAt == NEVER;
    }

    /** Picks the pages the next registration covers: the whole buffer, or a window at a random offset. */
    final void chooseWindow() {
        pages = config.windowPages(buffer.pages());
        first = pages == buffer.pages() ? 0 : ctx.random().nextInt(buffer.pages() - pages + 1);
    }

    /** ibv_reg_mr returned: the region lives for a drawn lifetime, accessed at drawn gaps. */
    final void activate() {
        registered = true;
        expiresAt = ctx.now() + config.drawLifetime(ctx.random());
        scheduleNextAccess();
    }

    final boolean expired() {
        return ctx.now() >= expiresAt;
    }

    final void scheduleNextAccess() {
        dueAt = Math.min(expiresAt, ctx.now() + config.drawGap(ctx.random()));
    }

    /** ibv_dereg_mr returned: register again after the pause, unless that was the last registration. */
    final void deregistered() {
        registered = false;
        registrations++;
        boolean last = config.registrations() > 0 && registrations >= config.registrations();
        dueAt = last ? NEVER : ctx.now() + config.pauseNs();
    }

    /** ibv_reg_mr failed: the application tries again later, or gives up on this buffer. */
    final void registrationFailed() {
        registered = false;
        dueAt = config.retryAfterNs() == 0 ? NEVER : ctx.now() + config.retryAfterNs();
    }

    /** What the application does next after a failed ibv_reg_mr, for the log line. */
    final String nextAttempt() {
        return config.retryAfterNs() == 0 ? "giving up on this buffer"
                : "retrying in " + org.pinlab.api.device.Parameters.formatNs(config.retryAfterNs());
    }

    final String describe() {
        return "buffer " + buffer.name() + " (process " + buffer.process() + ") pages [" + first + ", "
                + (first + pages) + ")";
    }
}
