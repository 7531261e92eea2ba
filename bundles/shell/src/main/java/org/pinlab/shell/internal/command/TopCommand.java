package org.pinlab.shell.internal.command;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.pinlab.api.families.Families;
import org.pinlab.kernel.Gauges;
import org.pinlab.scenarios.LiveRun;
import org.pinlab.scenarios.report.Counts;
import org.pinlab.shell.internal.lab.LiveService;

@Service
@Command(scope = "pinlab", name = "top",
        description = "A refreshing view of the live machine: frames free/dirty/writeback/pinned, pins acquired and "
                + "released, bounce pages, findings so far by kind, the strategy per family. q to quit.")
public class TopCommand implements Action {

    private static final String CLEAR = "\033[H\033[2J";

    @Reference
    LiveService live;

    @Reference(optional = true)
    Session session;

    @Option(name = "-n", aliases = "--iterations", description = "Print this many screens (1 or more) and stop (default: until q)")
    Integer iterations;

    @Option(name = "-d", aliases = "--delay", description = "Milliseconds between screens (default 1000)")
    int delay = 1000;

    @Override
    public Object execute() throws Exception {
        int screens = iterations == null ? 0 : (int) CommandException.inRange("-n", iterations, 1, 1_000_000);
        CommandException.inRange("-d", delay, 10, 60_000);
        LiveRun run = live.current();
        CommandException.check(run != null, "no live workload was started; start one with pinlab:live start");
        Object t = session == null ? null : session.get(".jline.terminal");
        Terminal terminal = screens == 0 && t instanceof Terminal term ? term : null;
        Attributes saved = terminal != null ? terminal.enterRawMode() : null;
        try {
            for (int i = 0; screens == 0 || i < screens; i++) {
                if (terminal != null) {
                    System.out.print(CLEAR);
                }
                screen(System.out, run);
                System.out.flush();
                if (screens != 0 && i + 1 == screens) {
                    break;
                }
                if (terminal != null) {
                    int c = terminal.reader().read(delay);
                    if (c == 'q' || c == 'Q' || c == 3 || c == -1) { // q, or Ctrl-C in raw mode, or end of input
                        break;
                    }
                } else {
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Ctrl-C: leave quietly
        } finally {
            if (saved != null) {
                terminal.setAttributes(saved);
            }
        }
        return null;
    }

    static void screen(PrintStream out, LiveRun run) {
        LiveRun.Status st = run.status();
        out.printf("pinlab top - %s %s%s, boot %d (seed %d), %s simulated, %,d steps%n", st.scenario(),
                st.state().name().toLowerCase(Locale.ROOT), st.waitingFor() != null ? " (" + st.waitingFor() + ")" : "",
                st.boots(), st.seed(), Print.ns(st.totalSimulatedNs()), st.totalSteps());
        StringBuilder strategies = new StringBuilder();
        st.choices().forEach((k, v) -> strategies.append(k).append(' ').append(v).append("  "));
        st.machineFamilies().forEach((k, v) -> strategies.append(k).append(' ').append(v).append("  "));
        out.println("Strategies: " + strategies.toString().strip());
        Gauges g = st.gauges();
        if (g != null) {
            out.printf("Frames: %d total, %d free, %d dirty, %d writeback, %d pinned, %d GUP-referenced, %d bounce%n",
                    g.frames(), g.free(), g.dirty(), g.writeback(), g.pinned(), g.referenced(), g.bounce());
        }
        out.printf("Pins:   %d acquired, %d released, %d grabs outstanding, %d counter checks failed%n",
                st.pinsAcquired(), st.pinsReleased(), g == null ? 0 : g.grabs(), st.unbalanced());
        List<LiveRun.Boot> boots = run.boots();
        List<LiveRun.Boot> recent = boots.subList(Math.max(0, boots.size() - 10), boots.size());
        double dma = recent.stream().mapToDouble(LiveRun.Boot::dmaMibPerSecond).average().orElse(0);
        out.printf("DMA:    %.1f MiB/s simulated (mean of the last %s)%n", dma, Counts.of(recent.size(), "boot"));
        out.println("Findings: " + st.findings() + " (" + Print.kinds(st.byKind()) + ")");
        out.println("Devices: " + (st.devices().isEmpty() ? "none" : String.join(", ", st.devices()))
                + (st.detached().isEmpty() ? "" : "; waiting for a driver: " + String.join(", ", st.detached())));
        out.println();
        // the latest finding of each kind, so a rare BUG is not hidden by frequent warnings
        out.printf("%5s %6s %-22s %-9s %s%n", "BOOT", "SEED", "KIND", "RELEASE", "LATEST MESSAGE");
        for (LiveRun.LiveFinding f : run.latestByKind().values()) {
            String msg = f.finding().message();
            out.printf("%5d %6d %-22s %-9s %s%n", f.boot(), f.seed(), f.finding().kind(), f.choices().get(Families.RELEASE.name()),
                    msg.length() > 70 ? msg.substring(0, 69) + "…" : msg);
        }
        out.println("q to quit");
    }
}
