package org.pinlab.kernel.internal.drivers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.ContentTokens;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.RunMetrics;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.fs.dax.Dax;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.gup.Gup;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.mm.truncate.Truncate;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.kernel.internal.printk.Printk;
import org.pinlab.sim.Engine;

/**
 * The driver core for the model's devices (drivers/base/dd.c {@code ->probe} and
 * {@code ->remove}): the attached devices, each a {@link DeviceHost} task, their DMA into
 * frames, and revoking their pins on truncate's request.
 */
public final class Devices {

    public final Engine engine;
    public final CostTable costs;
    public final Choices choices;
    public final FrameStore frames;
    public final VmCounters vm;
    public final FolioPins pins;
    public final RunMetrics metrics;
    public final Oracles oracles;
    public final Printk printk;
    public final ContentTokens tokens;
    public final PageLocks pageLocks;
    public final PageAlloc pageAlloc;
    public final PageRefs refs;
    public final Filemap filemap;
    public final Dax dax;
    public final Truncate truncate;
    public final Gup gup;

    public Devices(Engine engine, CostTable costs, Choices choices, FrameStore frames, VmCounters
                   vm, FolioPins pins, RunMetrics metrics, Oracles oracles, Printk printk,
                   ContentTokens tokens, PageLocks pageLocks, PageAlloc pageAlloc, PageRefs refs,
                   Filemap filemap, Dax dax, Truncate truncate, Gup gup) {
        this.engine = engine;
        this.costs = costs;
        this.choices = choices;
        this.frames = frames;
        this.vm = vm;
        this.pins = pins;
        this.metrics = metrics;
        this.oracles = oracles;
        this.printk = printk;
        this.tokens = tokens;
        this.pageLocks = pageLocks;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.dax = dax;
        this.truncate = truncate;
        this.gup = gup;
    }

    /** What {@code c} costs in simulated time on this machine: the steps of this file's paths charge it. */
    public long cost(Cost c) {
        return costs.ns(c);
    }

    /** Attached devices, in attach order. */
    final List<DeviceHost> devices = new ArrayList<>();
    /** Set by a clean shutdown: devices release what they map and end. */
    boolean shuttingDown;

    /**
     * Attaches a device ({@code ->probe}) and starts its task at once. The device type parses
     * its parameters first, so a bad one throws and nothing is attached.
     *
     * @throws IllegalArgumentException for a duplicate name or a bad parameter
     */
    public DeviceHost attachDevice(DeviceType type, String name, Map<String, String> params, List<UserBuffer> buffers) {
        for (DeviceHost d : devices) {
            if (d.name().equals(name)) {
                throw new IllegalArgumentException("a device named " + name + " is already attached");
            }
        }
        DeviceHost host = new DeviceHost(this, name, buffers, engine.random().split());
        host.bind(type.create(host, params));
        devices.add(host);
        engine.spawn(name, host, 0);
        return host;
    }

    /** The attached devices, in attach order. */
    public List<DeviceHost> list() {
        return Collections.unmodifiableList(devices);
    }

    /**
     * The driver went away ({@code ->remove}): the device releases everything it maps, dirtying
     * what it could write, and its task ends.
     */
    public void detachDevice(String name) {
        for (DeviceHost d : devices) {
            if (d.name().equals(name)) {
                d.detach();
                return;
            }
        }
        throw new IllegalArgumentException("no device named " + name);
    }

    /** Every device wakes to release its mappings and end (processes exiting before sync). */
    public void beginShutdown() {
        shuttingDown = true;
        for (DeviceHost d : devices) {
            d.kick(); // a sleeping device wakes to release its mappings
        }
    }

    /** Asks every device holding {@code pfn} to give it back; true if one will. */
    public boolean revokePins(int pfn) {
        boolean any = false;
        for (int i = 0; i < devices.size(); i++) {
            any |= devices.get(i).revoke(pfn);
        }
        return any;
    }

    /**
     * A device writes one page by physical address (DMA): no fault, no {@code page_mkwrite},
     * nothing the filesystem can see. The data counts as file data if the frame is a file
     * page right now; a frame back in the allocator is a use after free.
     *
     * @return the token written
     */
    public long dmaWrite(int pfn) {
        if (frames.test(pfn, PageFlags.BUDDY)) {
            oracles.useAfterFree(pfn, "DMA write");
        }
        dax.checkDmaWrite(pfn, truncate::blockFreeDeferred); // a write into a block truncate freed
        long token = tokens.newToken();
        frames.setToken(pfn, token);
        Inode inode = filemap.fileOf(pfn);
        if (inode != null) {
            oracles.fileDataWritten(inode, frames.index(pfn), token);
        }
        engine.mix(token ^ ((long) pfn << 24));
        return token;
    }
}
