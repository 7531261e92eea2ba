/**
 * Pin tracking: how {@code get_user_pages} and {@code pin_user_pages} account the pages
 * they hand out. A {@link org.pinlab.api.gup.PinTracker} service creates one
 * {@link org.pinlab.api.gup.PinAccounting} per machine over the machine's
 * {@link org.pinlab.api.gup.FolioCounters}; the kernel's page-table walk calls it once for
 * every run of one folio's subpages it finds, as {@code try_grab_folio} takes them.
 */
@Export
@Version("2.2.0")
package org.pinlab.api.gup;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
