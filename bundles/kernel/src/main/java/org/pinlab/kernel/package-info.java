/**
 * The model kernel's plain-Java entry point: build a {@link org.pinlab.kernel.Machine}
 * with {@link org.pinlab.kernel.Machine#builder()}, mount filesystems, create files and
 * processes, spawn workloads, run it, and read its findings and counters. No OSGi
 * framework needed: tests and benchmarks use it on the plain classpath.
 *
 * <p>Not exported yet: its OSGi surface is designed together with its first bundle
 * consumer (the scenarios bundle), so that nothing internal leaks into a versioned API.
 */
package org.pinlab.kernel;
