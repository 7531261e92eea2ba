package org.pinlab.scenarios;

import java.util.List;

/**
 * A scenario that cannot run as written: which file, where in it, and what was expected.
 * Nothing of the scenario has run or been set up when this is thrown.
 */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;
    private final transient List<ScenarioException> all;

    public ScenarioException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
        this.all = List.of(this);
    }

    private ScenarioException(List<ScenarioException> errors) {
        super(message(errors));
        ScenarioException first = errors.get(0);
        this.source = first.source;
        this.line = first.line;
        this.column = first.column;
        this.problem = first.problem;
        this.all = List.copyOf(errors);
    }

    private static String message(List<ScenarioException> errors) {
        StringBuilder b = new StringBuilder();
        for (ScenarioException e : errors) {
            b.append(b.length() == 0 ? "" : "\n").append(e.getMessage());
        }
        return b.append("\n").append(errors.size()).append(" errors in ").append(errors.get(0).source).toString();
    }

    /**
     * The one error of {@code errors}, or one exception that reports them all, one line each
     * in the order given; its location is the first one's.
     *
     * @throws IllegalArgumentException if {@code errors} is empty
     */
    public static ScenarioException of(List<ScenarioException> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        List<ScenarioException> flat = new java.util.ArrayList<>();
        for (ScenarioException e : errors) {
            flat.addAll(e.errors());
        }
        return flat.size() == 1 ? flat.get(0) : new ScenarioException(flat);
    }

    /** Every error this reports, in file order: itself alone, for a single one. */
    public List<ScenarioException> errors() {
        return all == null ? List.of(this) : all;
    }

    /** The file (or catalog entry) the scenario came from. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }

    /** The problem without its location. */
    public String problem() {
        return problem;
    }
}
