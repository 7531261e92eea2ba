/**
 * Pax Exam against the pinlab distribution, for pinlab's own itests and for outside bundle
 * projects: {@link org.pinlab.exam.PinlabOptions} boots the distribution offline with the
 * bundle under test installed, and {@link org.pinlab.exam.PinlabExamSupport} is the JUnit 4
 * base class with the shell, service, scenario and await helpers.
 */
@Export
@Version("1.0.0")
package org.pinlab.exam;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
