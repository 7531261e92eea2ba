package org.pinlab.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Invalidation;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.api.families.Families;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.fs.tmpfs.internal.TmpfsType;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Workload;

/**
 * The scene of a device contract test: one process with a shared mapping of a tmpfs file (no
 * writeback and no reclaim to race with, so only the device is under test) given to the
 * device under test as its one buffer, pins taken the {@code tracked} way (FOLL_PIN, so the
 * vmstat pin counters count them), and the device seen through a {@link RecordingDeviceContext}.
 */
final class DeviceRig {

    static final String NAME = "dev0";

    final ContractMachine cm;
    final Workload w;
    final Workload.File file;
    final DeviceLedger ledger = new DeviceLedger();
    final UserBuffer buffer;

    /**
     * @param filePages the file's size: a mapping page past it is past EOF, where GUP stops short
     * @param truncate  the truncate policy, or null for the kernel's own
     */
    DeviceRig(DeviceType type, Map<String, String> params, int bufferPages, int filePages, TruncatePolicy truncate) {
        Map<Family<?>, Pluggable> choices = new HashMap<>();
        choices.put(Families.RELEASE, Shipped.tracked());
        if (truncate != null) {
            choices.put(Families.TRUNCATE, truncate);
        }
        cm = new ContractMachine(Shipped.merged(), Choices.fixed(choices));
        w = cm.machine.workload();
        Workload.Fs fs = w.mount("/dev/shm", new TmpfsType(), Map.of(), 1024);
        file = w.file(fs, "buf0", filePages);
        Workload.Process p = w.process("app", Long.MAX_VALUE);
        buffer = w.buffer("buf0", w.mapShared(p, file, bufferPages), 0, bufferPages);
        w.device(recording(type), NAME, params, List.of(buffer));
    }

    /** Whether the device holds {@code pfn} through a grab of its own now. */
    private boolean pinnedByDevice(int pfn) {
        for (PinRecord r : cm.machine.outstandingPins()) {
            if (r.owner().equals(NAME)) {
                for (int p : r.pfns()) {
                    if (p == pfn) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private DeviceType recording(DeviceType type) {
        return new DeviceType() {
            @Override
            public List<Parameter> parameters() {
                return type.parameters();
            }

            @Override
            public Device create(DeviceContext context, Map<String, String> params) {
                RecordingDeviceContext rec = new RecordingDeviceContext(context, ledger, DeviceRig.this::pinnedByDevice);
                Device device = type.create(rec, params);
                return new Device() {
                    @Override
                    public boolean step(DeviceContext ignored) {
                        rec.observeOutcome();
                        boolean more = device.step(rec);
                        ledger.finishedOnItsOwn |= !more;
                        return more;
                    }

                    @Override
                    public boolean revoke(DmaMap map) {
                        ledger.revokesAsked++;
                        boolean agreed = device.revoke(map);
                        if (agreed) { // the pin may have completed before the device's step saw it
                            ledger.taken.computeIfAbsent(map, m -> new DeviceLedger.Taken(m, m.pages(),
                                    context.now())).revokeAgreed = true;
                        }
                        return agreed;
                    }

                    @Override
                    public void invalidate(Invalidation invalidation) {
                        rec.invalidated(invalidation.buffer(), invalidation.from(), invalidation.to());
                        device.invalidate(invalidation);
                    }
                };
            }

            @Override
            public String name() {
                return type.name();
            }

            @Override
            public String description() {
                return type.description();
            }
        };
    }

    /**
     * From {@code fromNs}, {@code ftruncate(2)} of the buffer's file to 0 pages as soon as the
     * device holds a pin (checked every 10 us), so a revoke is asked whatever the device's rhythm.
     */
    void truncateWhilePinned(long fromNs) {
        org.pinlab.kernel.internal.mm.Inode inode = cm.k.inodes.all().get(0); // the machine's only file
        cm.machine.engine().spawn("truncate", new org.pinlab.sim.Proc("do_truncate") {
            @Override
            protected int step(org.pinlab.sim.Task t) {
                if (pc == 1) {
                    return t.ret();
                }
                if (cm.machine.engine().now() < fromNs || cm.machine.outstandingPins().stream()
                        .noneMatch(r -> r.owner().equals(NAME))) {
                    return t.next(10 * ContractMachine.US);
                }
                truncatedAt = cm.machine.engine().now();
                pc = 1;
                return t.call(new org.pinlab.kernel.internal.mm.truncate.TruncatePages(cm.k.truncate, inode, 0));
            }
        }, 0);
    }

    /** When {@link #truncateWhilePinned} truncated, or -1. */
    long truncatedAt = -1;

    /** Runs the workload until {@code ns}, detaches the device if it is still attached, and shuts down cleanly. */
    void runDetachAndFinish(long ns) {
        cm.runUntil(ns);
        if (cm.machine.devices().contains(NAME)) {
            w.detachDevice(NAME);
        }
        cm.machine.finish();
    }

    long vmstat(String key) {
        return cm.machine.vmstat().get(key);
    }
}
