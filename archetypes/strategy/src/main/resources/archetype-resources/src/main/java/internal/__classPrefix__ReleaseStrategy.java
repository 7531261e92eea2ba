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
 * <p>A proposal, not a kernel behaviour: every DMA grab is taken as a long-term pin, as if
 * each driver said {@code FOLL_LONGTERM} (pin_user_pages_fast with FOLL_PIN | FOLL_LONGTERM,
 * v6.12): pages in ZONE_MOVABLE are migrated out before they are pinned, and the v6.5
 * admission check may refuse long-term write pins of file pages. Released the way it was
 * taken (unpin_user_pages_dirty_lock), whatever strategy is active by then.
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
        return "${strategyName}: tracked pins (FOLL_PIN), every one taken long-term (FOLL_LONGTERM) whatever the "
                + "driver asked, so movable pages are migrated before they are pinned; released with "
                + "unpin_user_pages_dirty_lock.";
    }

    @Override
    public int grabFlags(boolean write, boolean longterm) {
        return Foll.PIN | Foll.LONGTERM | (write ? Foll.WRITE : 0);
    }

    @Override
    public boolean bounceFileWrites() {
        return false;
    }
}
