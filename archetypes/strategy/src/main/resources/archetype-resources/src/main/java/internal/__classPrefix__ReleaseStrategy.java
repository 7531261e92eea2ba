package ${package}.internal;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.ReleaseStrategy;

/**
 * ${strategyName} as a service: Declarative Services registers it as a
 * {@link ReleaseStrategy} named {@value #NAME} in the {@code release} family, so a scenario's
 * combination chooses it with {@code {release: ${strategyName}}} and {@code pinlab:use release
 * ${strategyName}} makes it active in a live run.
 *
 * <p>A proposal, not a kernel behaviour: only grabs the device will write through are
 * tracked pins (pin_user_pages with FOLL_PIN | FOLL_WRITE, v6.12), because only those dirty
 * the page behind the filesystem's back; read-only short-term grabs stay plain
 * references (get_user_pages, FOLL_GET), which never dirty a page and cost no pin bias; a
 * long-term grab is always a pin, as FOLL_LONGTERM requires. Released the way
 * it was taken (unpin_user_pages_dirty_lock, or put_page), whatever strategy is active by then.
 */
@Component(service = ReleaseStrategy.class, property = "name=" + ${classPrefix}ReleaseStrategy.NAME)
public final class ${classPrefix}ReleaseStrategy implements ReleaseStrategy {

    public static final String NAME = "${strategyName}";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "${strategyName}: tracked pins (FOLL_PIN) for the grabs a device writes through, released with "
                + "unpin_user_pages_dirty_lock; read-only short-term grabs stay get_user_pages "
                + "references (FOLL_GET), released with put_page, since they never dirty a page.";
    }

    @Override
    public int grabFlags(boolean write, boolean longterm) {
        if (!write && !longterm) {
            return Foll.GET; // get_user_pages: a read-only, short-term grab never dirties the page
        }
        // pin_user_pages; FOLL_LONGTERM is only valid with FOLL_PIN (is_valid_gup_args, v6.12)
        return Foll.PIN | (write ? Foll.WRITE : 0) | (longterm ? Foll.LONGTERM : 0);
    }

    @Override
    public boolean bounceFileWrites() {
        return false;
    }
}
