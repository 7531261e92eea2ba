/**
 * The kernel's self-tests (tools/testing/selftests/mm) on a model machine: tools a user or
 * a benchmark runs against the model, not part of the model's API. {@link
 * org.pinlab.kernel.selftests.GupTest} is {@code gup_test}: it maps and faults in a buffer,
 * grabs it through the GUP calls and puts it back, timing both halves. {@link
 * org.pinlab.kernel.selftests.GupLongterm} is {@code gup_longterm}: long-term pins of shared
 * and private file mappings on each filesystem, checked against what the kernel answers,
 * printed as TAP.
 */
@Export
@Version("1.1.0")
package org.pinlab.kernel.selftests;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

