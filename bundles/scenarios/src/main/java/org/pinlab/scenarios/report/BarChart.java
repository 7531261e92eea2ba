package org.pinlab.scenarios.report;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart in inline SVG: labels left, bars on a shared linear axis from 0 with
 * round ticks, values at the bar ends. It sizes itself from its text, since the page names no
 * font and cannot measure one.
 */
final class BarChart {

    private BarChart() {
    }

    /** One bar of a chart: who it is (for its tooltip), its colour, its length in axis units, its label. */
    record Bar(String who, String colour, double value, String text, boolean light) {
    }

    /** Bars drawn together under one label on the left. */
    record Group(String label, List<Bar> bars) {
    }

    private static final int CHART_W = 600;
    private static final double MAX_LABEL_W = 240;
    private static final int BAR_H = 15;

    /** A horizontal bar chart: labels left, bars on a shared linear axis from 0, values at the bar ends. */
    static void draw(StringBuilder o, String title, List<Group> groups, double max, String axisLabel,
                     boolean integerTicks) {
        if (groups.isEmpty()) {
            o.append("<svg viewBox=\"0 0 ").append(CHART_W).append(" 36\" role=\"img\" aria-label=\"")
                    .append(HtmlRenderer.esc(title)).append(": nothing to show\"><text x=\"").append(CHART_W / 2)
                    .append("\" y=\"22\" text-anchor=\"middle\" class=\"axis\">nothing to show</text></svg>\n");
            return;
        }
        double labelW = 30;
        double valueW = 30;
        for (Group g : groups) {
            labelW = Math.max(labelW, textWidth(g.label(), 12));
            for (Bar b : g.bars()) {
                valueW = Math.max(valueW, textWidth(b.text(), 11));
            }
        }
        labelW = Math.min(MAX_LABEL_W, labelW);
        valueW = Math.min(160, valueW + 8);
        double x0 = labelW + 10;
        double plotW = CHART_W - x0 - valueW;
        double[] ticks = ticks(max, integerTicks);
        double axisMax = ticks[ticks.length - 1];

        boolean allSingle = groups.stream().allMatch(g -> g.bars().size() == 1);
        int groupGap = allSingle ? 5 : 10;
        double top = 6;
        double y = top;
        StringBuilder body = new StringBuilder();
        for (Group g : groups) {
            double gy = y;
            for (Bar b : g.bars()) {
                double w = axisMax <= 0 ? 0 : Math.max(0, b.value()) / axisMax * plotW;
                if (b.value() > 0 && w < 1.5) {
                    w = 1.5; // a small non-zero value stays visible
                }
                body.append("<rect x=\"").append(f(x0)).append("\" y=\"").append(f(y)).append("\" width=\"")
                        .append(f(w)).append("\" height=\"").append(BAR_H).append("\" fill=\"").append(b.colour())
                        .append('"');
                if (b.light()) {
                    body.append(" fill-opacity=\"0.38\" stroke=\"").append(b.colour()).append("\" stroke-width=\"1\"");
                }
                body.append("><title>").append(HtmlRenderer.esc(b.who() + ": " + b.text())).append("</title></rect>");
                body.append("<text class=\"val\" x=\"").append(f(x0 + w + 5)).append("\" y=\"").append(f(y + BAR_H / 2.0))
                        .append("\" dominant-baseline=\"central\">").append(HtmlRenderer.esc(b.text())).append("</text>\n");
                y += BAR_H + 3;
            }
            double gh = y - 3 - gy;
            String label = g.label();
            String shown = fit(label, labelW, 12);
            body.append("<text x=\"").append(f(x0 - 8)).append("\" y=\"").append(f(gy + gh / 2))
                    .append("\" text-anchor=\"end\" dominant-baseline=\"central\">");
            if (!shown.equals(label)) {
                body.append("<title>").append(HtmlRenderer.esc(label)).append("</title>");
            }
            body.append(HtmlRenderer.esc(shown)).append("</text>\n");
            y += groupGap;
        }
        double bottom = y - groupGap + 3;
        double height = bottom + 38;
        o.append("<svg viewBox=\"0 0 ").append(CHART_W).append(' ').append(f(height))
                .append("\" role=\"img\" aria-label=\"").append(HtmlRenderer.esc(title)).append("\">\n");
        for (double t : ticks) {
            double x = x0 + (axisMax <= 0 ? 0 : t / axisMax * plotW);
            o.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                    .append(f(top - 3)).append("\" y2=\"").append(f(bottom)).append("\"/>");
            o.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(f(bottom + 14))
                    .append("\" text-anchor=\"middle\">").append(HtmlRenderer.esc(tickLabel(t, ticks))).append("</text>\n");
        }
        o.append("<line class=\"base\" x1=\"").append(f(x0)).append("\" x2=\"").append(f(x0)).append("\" y1=\"")
                .append(f(top - 3)).append("\" y2=\"").append(f(bottom)).append("\"/>\n");
        o.append(body);
        o.append("<text class=\"axis\" x=\"").append(f(x0 + plotW / 2)).append("\" y=\"").append(f(bottom + 31))
                .append("\" text-anchor=\"middle\">").append(HtmlRenderer.esc(axisLabel)).append("</text>\n");
        o.append("</svg>\n");
    }

    /**
     * About how wide {@code s} is in a sans-serif font of {@code px} pixels, erring wide:
     * the page names no font, so the browser picks one (DejaVu Sans is among the widest).
     */
    static double textWidth(String s, double px) {
        double em = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("iljtf.,:;!|'()[] ".indexOf(c) >= 0) {
                em += 0.36;
            } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W') {
                em += 0.95;
            } else if (Character.isUpperCase(c) || c == '_' || c == '%' || c == '&') {
                em += 0.74;
            } else if (Character.isDigit(c)) {
                em += 0.64;
            } else {
                em += 0.62;
            }
        }
        return em * px;
    }

    /** {@code s}, cut short with an ellipsis if wider than {@code width}. */
    private static String fit(String s, double width, double px) {
        if (textWidth(s, px) <= width) {
            return s;
        }
        int n = s.length();
        while (n > 1 && textWidth(s.substring(0, n) + "\u2026", px) > width) {
            n--;
        }
        return s.substring(0, n) + "\u2026";
    }

    /** Round ticks from 0 to at least {@code max}: steps of 1, 2 or 5 times a power of ten, about five of them. */
    static double[] ticks(double max, boolean integers) {
        if (!(max > 0) || !Double.isFinite(max)) {
            return new double[] {0, 1};
        }
        double raw = max / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step;
        if (raw <= mag) {
            step = mag;
        } else if (raw <= 2 * mag) {
            step = 2 * mag;
        } else if (raw <= 5 * mag) {
            step = 5 * mag;
        } else {
            step = 10 * mag;
        }
        if (integers) {
            step = Math.max(1, Math.ceil(step));
        }
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = i * step;
        }
        return t;
    }

    private static String tickLabel(double t, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        if (Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", t);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

}
