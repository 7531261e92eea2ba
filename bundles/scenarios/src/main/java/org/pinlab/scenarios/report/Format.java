package org.pinlab.scenarios.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.pinlab.scenarios.ChromeTrace;

/**
 * The formats a report or trace is written in, by the name a user types
 * ({@code --format markdown}).
 */
public enum Format {
    /** An aligned table for a terminal. */
    TABLE("table", "txt"),
    /** A GitHub-flavoured Markdown table, for an issue or a pull request. */
    MARKDOWN("markdown", "md"),
    /** JSON for other programs; every figure names its unit. */
    JSON("json", "json"),
    /** RFC 4180 CSV for a spreadsheet. */
    CSV("csv", "csv"),
    /** One self-contained HTML page with charts. */
    HTML("html", "html"),
    /** One run's trace as Chrome trace-event JSON, which Perfetto opens; its input is a trace, not a report. */
    PERFETTO("perfetto", "json");

    private final String id;
    private final String extension;

    Format(String id, String extension) {
        this.id = id;
        this.extension = extension;
    }

    /** The name a user types. */
    public String id() {
        return id;
    }

    /** The usual file name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Whether this format renders a {@link Report} (every format but Perfetto). */
    public boolean rendersReports() {
        return this != PERFETTO;
    }

    /**
     * The format a user named, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid formats
     */
    public static Format named(String name) {
        for (Format f : values()) {
            if (f.id.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("no format named '" + name + "'; formats: " + String.join(", ", ids()));
    }

    /** Every format's name, in declaration order. */
    public static List<String> ids() {
        List<String> out = new ArrayList<>();
        for (Format f : values()) {
            out.add(f.id);
        }
        return out;
    }

    /**
     * The renderer of a report in this format.
     *
     * @throws IllegalArgumentException for {@link #PERFETTO}, which renders a run's trace
     */
    public Renderer<Report> reportRenderer() {
        return switch (this) {
            case TABLE -> new TableRenderer();
            case MARKDOWN -> new MarkdownRenderer();
            case JSON -> new JsonRenderer();
            case CSV -> new CsvRenderer();
            case HTML -> new HtmlRenderer();
            case PERFETTO -> throw new IllegalArgumentException(
                    "the perfetto format renders one run's trace, not a report; write one with pinlab:trace");
        };
    }

    /**
     * The renderer of an exploration's result in this format.
     *
     * @throws IllegalArgumentException for a format an exploration is not written in
     */
    public Renderer<ExplorationReport> explorationRenderer() {
        return switch (this) {
            case TABLE -> new ExplorationTableRenderer();
            case JSON -> new ExplorationJsonRenderer();
            default -> throw new IllegalArgumentException("an exploration is written as table or json, not " + id);
        };
    }

    /** The renderer of a recorded run in {@link #PERFETTO}'s format. */
    public static Renderer<ChromeTrace> traceRenderer() {
        return new PerfettoRenderer();
    }
}
