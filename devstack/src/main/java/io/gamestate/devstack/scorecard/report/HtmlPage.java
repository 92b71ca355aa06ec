package io.gamestate.devstack.scorecard.report;

import static io.gamestate.devstack.scorecard.report.SvgCharts.esc;

import io.gamestate.devstack.scorecard.ScenarioReport.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code scorecard.html}: one self-contained file (inline CSS and SVG, no script, nothing fetched),
 * so it can be mailed, archived with a run, or opened from disk.
 */
final class HtmlPage {

    private static final List<String> PALETTE =
            List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f");

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1600px}
            h1{margin-bottom:4px}h2{margin-top:36px;border-bottom:1px solid #ccc}
            table{border-collapse:collapse;margin:12px 0;font-size:13px}
            th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
            thead th{background:#f0f0f0}
            td.cell{min-width:120px}
            .met{background:#c8e6c9}.near{background:#ffe0a3}.missed{background:#f5b7b1}
            .info{background:#dbe9f6}.not-measured{background:#e0e0e0;color:#555}
            th.not-runnable{background:#e8e8e8;color:#555}
            tbody.documented-criteria tr.documented-heading th{background:#34495e;color:#fff;font-size:14px;font-style:normal}
            tbody.documented-criteria td,tbody.documented-criteria th{background:#f7f7fb;font-style:italic}
            tbody.documented-criteria a{font-style:normal;font-size:11px}
            .legend-box{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #bbb}
            .charts{display:flex;flex-wrap:wrap;gap:16px}
            svg.chart{background:#fff;border:1px solid #ddd}
            svg .grid{stroke:#eee}svg .tick{font-size:10px;fill:#555}svg .axis-label{font-size:11px;fill:#333}
            svg .chart-title{font-size:13px;font-weight:600}svg .legend{font-size:11px}
            svg .line{stroke-width:2}svg .bound{stroke:#c0392b;stroke-dasharray:6 4}svg .bound-label{font-size:11px;fill:#c0392b}
            table.results td{text-align:right}table.results td:nth-child(-n+4){text-align:left}
            details{margin:8px 0}figure{margin:8px 0}figcaption{font-size:12px;font-weight:600}
            """;

    private HtmlPage() {
    }

    static String render(Scorecard scorecard, List<ScenarioRun> runs) {
        Map<String, String> colours = new LinkedHashMap<>();
        scorecard.columns().stream().filter(Scorecard.Column::measuredHere)
                .forEach(c -> colours.put(c.key(), PALETTE.get(colours.size() % PALETTE.size())));
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Game-state PoC scorecard</title><style>").append(CSS).append("</style></head><body>\n")
                .append("<h1>Game-state PoC scorecard</h1>\n<div class=\"provenance\"><strong>Measured on</strong><ul>");
        ScenarioTables.provenance(runs).forEach(line -> html.append("<li>").append(esc(line)).append("</li>"));
        html.append("</ul></div>\n");
        criteria(html, scorecard);
        ScenarioTables.byScenario(runs).forEach((name, scenarioRuns) -> scenario(html, name, scenarioRuns, colours));
        settings(html, runs);
        return html.append("</body></html>\n").toString();
    }

    private static void criteria(StringBuilder html, Scorecard scorecard) {
        html.append("<section id=\"criteria\"><h2>Criteria</h2><p>");
        for (Status status : Status.values()) {
            html.append("<span class=\"legend-box ").append(status.css).append("\">").append(esc(status.legend)).append("</span>");
        }
        html.append("</p>\n<table class=\"criteria\"><thead><tr><th>Criterion</th><th>Target</th>");
        for (Scorecard.Column column : scorecard.columns()) {
            html.append("<th class=\"store ").append(column.measuredHere() ? "measured" : "not-runnable")
                    .append("\" data-store=\"").append(esc(column.key())).append("\">").append(esc(column.title()));
            if (!column.measuredHere()) {
                html.append("<br><small>not runnable here</small>");
            }
            html.append("</th>");
        }
        html.append("</tr></thead>\n<tbody class=\"measured-criteria\">");
        for (Scorecard.MeasuredCriterion criterion : scorecard.measured()) {
            html.append("<tr class=\"measured\"><th>").append(esc(criterion.name())).append("</th><td>")
                    .append(esc(criterion.target())).append("</td>");
            criterion.cells().forEach((store, cell) -> html.append("<td class=\"cell ").append(cell.status().css)
                    .append("\" data-store=\"").append(esc(store)).append("\" title=\"").append(esc(cell.status().legend))
                    .append("\">").append(esc(cell.text())).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody>\n<tbody class=\"documented-criteria\"><tr class=\"documented-heading\"><th colspan=\"")
                .append(scorecard.columns().size() + 2)
                .append("\">Documented, not measurable on this machine: from the vendors' and drivers' own pages, checked ")
                .append(esc(scorecard.documentedChecked())).append("</th></tr>\n");
        for (Scorecard.DocumentedCriterion criterion : scorecard.documented()) {
            html.append("<tr class=\"documented\"><th>").append(esc(criterion.name())).append("</th><td>documented</td>");
            criterion.cells().forEach((store, fact) -> {
                html.append("<td class=\"cell documented\" data-store=\"").append(esc(store)).append("\">").append(esc(fact.text()));
                if (fact.source() != null) {
                    html.append(" <a href=\"").append(esc(fact.source())).append("\">source</a>");
                }
                html.append("</td>");
            });
            html.append("</tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static void scenario(StringBuilder html, String name, List<ScenarioRun> runs, Map<String, String> colours) {
        html.append("<section class=\"scenario\" id=\"scenario-").append(esc(name)).append("\" data-scenario=\"")
                .append(esc(name)).append("\"><h2>").append(esc(ScenarioTables.title(runs))).append("</h2>\n<div class=\"charts\">");
        String unit = runs.get(0).rows().get(0).result().unit();
        html.append(bars("throughput", name + ": throughput per variant and store", unit + "/s", runs, colours, Result::throughput));
        html.append(bars("p99", name + ": p99 per variant and store", "p99 ms", runs, colours, r -> r.latencyMs().p99()));
        if (name.equals("ramp")) {
            List<SvgCharts.LineSeries> lines = runs.stream().map(run -> new SvgCharts.LineSeries(run.store(),
                    colours.get(run.store()), run.rows().stream().map(ScenarioRun.Row::result)
                    .map(r -> new double[] {ScenarioRun.label(r, "rate"), r.latencyMs().p99()})
                    .filter(p -> !Double.isNaN(p[0])).sorted(Comparator.comparingDouble(p -> p[0])).toList())).toList();
            html.append(SvgCharts.lines("ramp-curve", "ramp: p99 against target rate", "target rate/s", "p99 ms",
                    lines, Targets.RAMP_P99_MS, 560));
        }
        html.append("</div>\n<table class=\"results\"><thead><tr>");
        ScenarioTables.HEADER.forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (List<String> row : ScenarioTables.rows(runs)) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(esc(cell)).append("</td>"));
            html.append("</tr>");
        }
        html.append("</tbody></table>\n<details><summary>Per-second throughput and p99 of each run</summary>");
        for (ScenarioRun run : runs) {
            for (ScenarioRun.Row row : run.rows()) {
                if (row.seconds().isEmpty()) {
                    continue;
                }
                String what = run.store() + " · " + CriteriaEvaluation.describe(row.result());
                html.append("<figure><figcaption>").append(esc(what)).append("</figcaption><div class=\"charts\">")
                        .append(SvgCharts.lines("series", what + ": throughput", "second", row.result().unit() + "/s",
                                List.of(new SvgCharts.LineSeries("throughput", colours.get(run.store()), points(row, SecondSample::throughput))),
                                Double.NaN, 420))
                        .append(SvgCharts.lines("series", what + ": p99", "second", "p99 ms",
                                List.of(new SvgCharts.LineSeries("p99", "#c0392b", points(row, SecondSample::p99Ms))),
                                Double.NaN, 420))
                        .append("</div></figure>");
            }
        }
        html.append("</details></section>\n");
    }

    /** Grouped bars: a group per variant and labels, a bar per store. */
    private static String bars(String kind, String title, String unit, List<ScenarioRun> runs, Map<String, String> colours,
                               ToDoubleFunction<Result> figure) {
        List<String> groups = new ArrayList<>();
        runs.forEach(run -> run.rows().forEach(row -> {
            String group = CriteriaEvaluation.describe(row.result());
            if (!groups.contains(group)) {
                groups.add(group);
            }
        }));
        List<SvgCharts.BarSeries> series = new ArrayList<>();
        // Bars in the criteria table's column order (colours is keyed in it).
        for (String store : colours.keySet().stream().filter(s -> runs.stream().anyMatch(r -> r.store().equals(s))).toList()) {
            List<Double> values = new ArrayList<>();
            for (String group : groups) {
                values.add(runs.stream().filter(r -> r.store().equals(store)).flatMap(r -> r.rows().stream())
                        .map(ScenarioRun.Row::result).filter(r -> CriteriaEvaluation.describe(r).equals(group))
                        .mapToDouble(figure).findFirst().orElse(Double.NaN));
            }
            series.add(new SvgCharts.BarSeries(store, colours.get(store), values));
        }
        return SvgCharts.groupedBars(kind, title, unit, groups, series);
    }

    private static List<double[]> points(ScenarioRun.Row row, ToDoubleFunction<SecondSample> figure) {
        return row.seconds().stream().map(s -> new double[] {s.second(), figure.applyAsDouble(s)}).toList();
    }

    private static void settings(StringBuilder html, List<ScenarioRun> runs) {
        html.append("<section id=\"settings\"><h2>Store and suite settings</h2>");
        ScenarioTables.settings(runs).forEach((store, lines) -> {
            html.append("<h3>").append(esc(store)).append("</h3><ul>");
            lines.forEach(line -> html.append("<li><code>").append(esc(line)).append("</code></li>"));
            html.append("</ul>");
        });
        html.append("</section>\n");
    }
}
