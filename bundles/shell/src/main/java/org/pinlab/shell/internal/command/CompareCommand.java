package org.pinlab.shell.internal.command;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Comparison;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.report.Counts;
import org.pinlab.scenarios.report.Format;
import org.pinlab.scenarios.report.Report;
import org.pinlab.shell.internal.completers.ReportFormatCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.ScenarioStore;

@Service
@Command(scope = "pinlab", name = "compare",
        description = "Runs scenarios x strategy combinations x seeds in parallel and prints the comparison matrix: "
                + "findings by kind, DMA throughput, writeback and fsync latency, unreclaimable pages, memory held by "
                + "pins and bounce buffers. Ctrl-C stops it.")
public class CompareCommand implements Action {

    @Reference
    ScenarioStore store;

    @Reference
    Lab lab;

    @Reference
    History history;

    @Argument(index = 0, name = "scenarios", multiValued = true, required = false,
            description = "The scenarios (default: the whole catalog)")
    @Completion(ScenarioCompleter.class)
    List<String> scenarios;

    @Option(name = "-n", aliases = "--seeds", description = "Seeds 1..N per combination (default 10)")
    int seeds = 10;

    @Option(name = "-t", aliases = "--threads", description = "Threads, one machine each (default: the cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(name = "--html", description = "Also write the report as one self-contained HTML file with charts")
    @Completion(FileCompleter.class)
    String html;

    @Option(name = "-f", aliases = "--format", description = "How to print the matrix: table (default), markdown, "
            + "json, csv or html")
    @Completion(ReportFormatCompleter.class)
    String format;

    @Option(name = "--json", description = "Print the matrix as JSON instead of the table (as --format json)")
    boolean json;

    @Option(name = "--csv", description = "Print the matrix as CSV instead of the table (as --format csv)")
    boolean csv;

    @Override
    public Object execute() throws Exception {
        CommandException.inRange("-n", seeds, 1, 1_000_000);
        CommandException.inRange("-t", threads, 1, 1_024);
        Format shown = format();
        Path htmlFile = html == null ? null : Path.of(html).toAbsolutePath();
        if (htmlFile != null) {
            CommandException.check(htmlFile.getParent() != null && Files.isDirectory(htmlFile.getParent()),
                    "--html: no such directory " + htmlFile.getParent());
        }
        List<Scenario> list = new ArrayList<>();
        try {
            for (String name : scenarios == null || scenarios.isEmpty() ? Catalog.names() : scenarios) {
                list.add(store.get(name));
            }
        } catch (RuntimeException e) {
            throw CommandException.of(e);
        }
        int total = 0;
        for (Scenario s : list) {
            total += s.combinations().size() * seeds;
        }
        boolean quiet = shown != Format.TABLE; // only the table shares the console with progress lines
        if (!quiet) {
            System.out.println("comparing " + Counts.of(list.size(), "scenario") + ", " + Counts.of(total, "run") + " on "
                    + Counts.of(threads, "thread"));
        }
        final int runs = total;
        long started = System.currentTimeMillis(); // host time, progress line only
        AtomicLong lastPrint = new AtomicLong(started);
        AtomicLong finished = new AtomicLong();
        PrintStream console = System.out; // Karaf's per-session stream, captured here for the pool's threads
        Comparison.Matrix m;
        try {
            m = new Comparison(lab.bound()).run(list, seeds, threads, done -> {
                finished.set(done);
                long now = System.currentTimeMillis();
                long last = lastPrint.get();
                if (!quiet && now - last >= ExploreCommand.PROGRESS_EVERY_MS && lastPrint.compareAndSet(last, now)) {
                    console.println("  " + ProgressLine.of(done, runs, "run", now - started));
                }
            });
        } catch (InterruptedException e) {
            // a second Ctrl-C while the runs in flight finish
            console.printf("stopped by Ctrl-C after %d of %d runs; nothing reported%n", finished.get(), runs);
            return null;
        }
        if (m.partial()) {
            console.println("stopped by Ctrl-C: partial result, " + finished.get() + " of " + runs
                    + " runs; each row counts the runs it has, and its expectations are read over those");
        }
        history.compare(m);
        Report report = Report.of(m);
        Writer out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        shown.reportRenderer().render(report, out);
        out.flush();
        if (htmlFile != null) {
            try (Writer w = Files.newBufferedWriter(htmlFile, StandardCharsets.UTF_8)) {
                Format.HTML.reportRenderer().render(report, w);
            } catch (IOException e) {
                throw new CommandException("--html: cannot write " + htmlFile + ": " + e.getMessage());
            }
            if (!quiet) {
                System.out.println("wrote " + htmlFile);
            }
        }
        return null;
    }

    /** The format asked for: --format, or its older spellings --json and --csv, or the table. */
    private Format format() {
        int chosen = (json ? 1 : 0) + (csv ? 1 : 0) + (format != null ? 1 : 0);
        CommandException.check(chosen <= 1, "choose one of --format, --json and --csv");
        if (json) {
            return Format.JSON;
        }
        if (csv) {
            return Format.CSV;
        }
        if (format == null) {
            return Format.TABLE;
        }
        Format f;
        try {
            f = Format.named(format);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--format: " + e.getMessage());
        }
        CommandException.check(f.rendersReports(), "--format: " + f.id() + " is a run's trace; write one with "
                + "pinlab:trace");
        return f;
    }
}
