/**
 * The model kernel's plain-Java entry point: build a {@link org.pinlab.kernel.Machine}
 * with {@link org.pinlab.kernel.Machine#builder()}, set up mounts, processes, devices and
 * programs through its {@link org.pinlab.kernel.Workload}, run it, and read its findings
 * and {@link org.pinlab.kernel.RunStats}. No OSGi framework needed: tests, benchmarks and
 * the scenarios bundle use it the same way.
 *
 * <p>Version 2: {@code Machine.kernel()} is gone (the machine offers only this API; the
 * bundle's own code and plain-classpath benchmarks reach the internals another way) and
 * {@code GupTest} moved to {@code org.pinlab.kernel.selftests}.
 */
@Export
@Version("2.2.0")
package org.pinlab.kernel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

