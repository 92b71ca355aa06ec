package io.gamestate.devstack.scorecard.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn here rather than by a script, so the page needs nothing but itself and
 * shows the same in any browser or when printed.
 */
final class SvgCharts {

    /** One bar per group for each series (a store); NaN where the series has no bar in a group. */
    record BarSeries(String name, String colour, List<Double> values) {
    }

    /** A polyline of (x, y) points. */
    record LineSeries(String name, String colour, List<double[]> points) {
    }

    private static final int HEIGHT = 280;
    private static final int TOP = 40;
    private static final int BOTTOM = 90;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;

    private SvgCharts() {
    }

    static String groupedBars(String cssClass, String title, String unit, List<String> groups, List<BarSeries> series) {
        int barWidth = 14;
        int groupWidth = series.size() * barWidth + 18;
        int width = Math.max(420, LEFT + RIGHT + groups.size() * groupWidth);
        double max = niceMax(series.stream().flatMap(s -> s.values().stream())
                .filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max().orElse(1));
        StringBuilder svg = open(cssClass, title, width);
        axes(svg, width, max, unit);
        for (int g = 0; g < groups.size(); g++) {
            double x0 = LEFT + g * groupWidth + 9;
            for (int s = 0; s < series.size(); s++) {
                double value = series.get(s).values().get(g);
                if (Double.isNaN(value)) {
                    continue;
                }
                double h = plotHeight() * value / max;
                svg.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s · %s: %s %s</title></rect>",
                        x0 + s * barWidth, TOP + plotHeight() - h, barWidth - 2, h, series.get(s).colour(),
                        esc(series.get(s).name()), esc(groups.get(g)), Figures.number(value), esc(unit)));
            }
            double cx = x0 + series.size() * barWidth / 2.0;
            svg.append(String.format(Locale.ROOT,
                    "<text class=\"tick\" text-anchor=\"end\" transform=\"translate(%.1f,%d) rotate(-30)\">%s</text>",
                    cx, TOP + plotHeight() + 14, esc(groups.get(g))));
        }
        legend(svg, width, series.stream().map(s -> new String[] {s.name(), s.colour()}).toList());
        return svg.append("</svg>").toString();
    }

    /** Lines over a shared x axis; {@code bound} (NaN for none) is drawn as a dashed horizontal line. */
    static String lines(String cssClass, String title, String xUnit, String yUnit, List<LineSeries> series,
                        double bound, int width) {
        double minX = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).min().orElse(0);
        double maxX = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1);
        double maxY = niceMax(Math.max(Double.isNaN(bound) ? 0 : bound * 1.1,
                series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1]).max().orElse(1)));
        double spanX = maxX > minX ? maxX - minX : 1;
        double plotWidth = width - LEFT - RIGHT;
        StringBuilder svg = open(cssClass, title, width);
        axes(svg, width, maxY, yUnit);
        for (int i = 0; i <= 4; i++) {
            double x = minX + spanX * i / 4;
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" text-anchor=\"middle\" x=\"%.1f\" y=\"%d\">%s</text>",
                    LEFT + plotWidth * i / 4, TOP + plotHeight() + 16, Figures.number(x)));
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" text-anchor=\"middle\" x=\"%.1f\" y=\"%d\">%s</text>",
                LEFT + plotWidth / 2, TOP + plotHeight() + 36, esc(xUnit)));
        if (!Double.isNaN(bound)) {
            double y = TOP + plotHeight() * (1 - bound / maxY);
            svg.append(String.format(Locale.ROOT,
                    "<line class=\"bound\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><text class=\"bound-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">bound %s %s</text>",
                    LEFT, y, LEFT + plotWidth, y, LEFT + plotWidth, y - 4, Figures.number(bound), esc(yUnit)));
        }
        for (LineSeries line : series) {
            StringBuilder points = new StringBuilder();
            for (double[] p : line.points()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ",
                        LEFT + plotWidth * (p[0] - minX) / spanX, TOP + plotHeight() * (1 - p[1] / maxY)));
            }
            svg.append("<polyline class=\"line\" fill=\"none\" stroke=\"").append(line.colour())
                    .append("\" points=\"").append(points.toString().trim()).append("\"><title>")
                    .append(esc(line.name())).append("</title></polyline>");
        }
        legend(svg, width, series.stream().map(s -> new String[] {s.name(), s.colour()}).toList());
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String cssClass, String title, int width) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart %s\" role=\"img\" aria-label=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">",
                cssClass, esc(title), width, HEIGHT, width, HEIGHT));
        svg.append("<text class=\"chart-title\" x=\"").append(LEFT).append("\" y=\"18\">").append(esc(title)).append("</text>");
        return svg;
    }

    private static void axes(StringBuilder svg, int width, double max, String unit) {
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotHeight() * (1 - i / 4.0);
            svg.append(String.format(Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/><text class=\"tick\" text-anchor=\"end\" x=\"%d\" y=\"%.1f\">%s</text>",
                    LEFT, y, width - RIGHT, y, LEFT - 6, y + 4, Figures.number(max * i / 4)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text class=\"axis-label\" transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                TOP + plotHeight() / 2, esc(unit)));
    }

    private static void legend(StringBuilder svg, int width, List<String[]> entries) {
        double x = width - RIGHT;
        for (int i = entries.size() - 1; i >= 0; i--) {
            String name = entries.get(i)[0];
            x -= 7 * name.length() + 22;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"24\" width=\"10\" height=\"10\" fill=\"%s\"/><text class=\"legend\" x=\"%.1f\" y=\"33\">%s</text>",
                    x, entries.get(i)[1], x + 14, esc(name)));
        }
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    /** The smallest 1, 2 or 5 × 10^k at or above {@code value}, so the axis ticks read well. */
    static double niceMax(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
