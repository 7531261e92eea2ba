/**
 * The fixes under comparison, as pluggable families. Each answers one question at the
 * point where the kernel meets a pinned page: how drivers take and release pages
 * ({@link org.pinlab.api.policy.ReleaseStrategy}), what writeback does with a pinned dirty
 * page ({@link org.pinlab.api.policy.WritebackPolicy}), what reclaim does with a pinned page
 * ({@link org.pinlab.api.policy.ReclaimPolicy}), what truncate does with one
 * ({@link org.pinlab.api.policy.TruncatePolicy}), and which pins are admitted at all
 * ({@link org.pinlab.api.policy.AdmissionPolicy}). The kernel carries out the answer, so a
 * policy bundle imports nothing but this API.
 */
@Export
@Version("2.1.0")
package org.pinlab.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
