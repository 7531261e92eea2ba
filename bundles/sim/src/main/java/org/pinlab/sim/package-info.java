/**
 * The deterministic engine under every pinlab machine: {@link org.pinlab.sim.Task tasks}
 * made of atomic {@link org.pinlab.sim.Proc steps}, {@link org.pinlab.sim.WaitQueue wait
 * queues}, a virtual clock, and the {@link org.pinlab.sim.Scheduler schedulers} that choose
 * which task takes the next step. A run is a pure function of its inputs and its seed; the
 * engine folds every step into a trace hash so two runs can be compared bit for bit.
 *
 * <p>Plain Java: no OSGi, no threads, no wall clock.
 */
@Export
@Version("1.1.0")
package org.pinlab.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
