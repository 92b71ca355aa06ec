package io.gamestate.devstack.scorecard.report;

import java.util.ArrayList;
import java.util.List;

/** {@code scorecard.md}: the criteria table and every figure, for a pull request or docs/benchmarks.md. */
final class MarkdownPage {

    private MarkdownPage() {
    }

    static String render(Scorecard scorecard, List<ScenarioRun> runs) {
        StringBuilder md = new StringBuilder("# Game-state PoC scorecard\n\nMeasured on:\n\n");
        ScenarioTables.provenance(runs).forEach(line -> md.append("- ").append(cell(line)).append('\n'));
        md.append("\n## Criteria\n\nMeasured cells: **met**, *near* (within 20 % of the target), ~~missed~~, "
                + "`info` (no target), or not measured (with why). Stores marked † are not runnable here.\n\n");
        List<String> header = new ArrayList<>(List.of("Criterion", "Target"));
        scorecard.columns().forEach(c -> header.add(c.measuredHere() ? c.title() : c.title() + " †"));
        row(md, header);
        row(md, header.stream().map(h -> "---").toList());
        for (Scorecard.MeasuredCriterion criterion : scorecard.measured()) {
            List<String> cells = new ArrayList<>(List.of(criterion.name(), criterion.target()));
            // The reason a store is not runnable here is the footnote's, not repeated in every row.
            scorecard.columns().forEach(c -> cells.add(c.measuredHere() ? marked(criterion.cells().get(c.key())) : "not measured here †"));
            row(md, cells);
        }
        List<String> divider = new ArrayList<>(List.of("**Documented** (not measurable here; checked "
                + scorecard.documentedChecked() + ")", ""));
        scorecard.columns().forEach(c -> divider.add(""));
        row(md, divider);
        for (Scorecard.DocumentedCriterion criterion : scorecard.documented()) {
            List<String> cells = new ArrayList<>(List.of(criterion.name(), "documented"));
            criterion.cells().values().forEach(fact -> cells.add(fact.source() == null ? fact.text()
                    : fact.text() + " ([source](" + fact.source() + "))"));
            row(md, cells);
        }
        md.append("\n† not measured here: ");
        md.append(String.join("; ", scorecard.columns().stream().filter(c -> !c.measuredHere())
                .map(c -> c.title() + ": " + c.notRunnableReason()).toList())).append(".\n");

        ScenarioTables.byScenario(runs).forEach((name, scenarioRuns) -> {
            md.append("\n## ").append(ScenarioTables.title(scenarioRuns)).append("\n\n");
            row(md, ScenarioTables.HEADER);
            row(md, ScenarioTables.HEADER.stream().map(h -> "---").toList());
            ScenarioTables.rows(scenarioRuns).forEach(cells -> row(md, cells));
        });
        md.append("\n## Store and suite settings\n");
        ScenarioTables.settings(runs).forEach((store, lines) -> {
            md.append("\n### ").append(store).append("\n\n");
            lines.forEach(line -> md.append("- `").append(line.replace("`", "'")).append("`\n"));
        });
        return md.toString();
    }

    private static String marked(Cell cell) {
        String text = cell(cell.text());
        return switch (cell.status()) {
            case MET -> "**" + text + "** (met)";
            case NEAR -> "*" + text + "* (near)";
            case MISSED -> "~~" + text + "~~ (missed)";
            case INFO -> "`" + text + "`";
            case NOT_MEASURED -> text;
        };
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells.stream().map(MarkdownPage::cell).toList())).append(" |\n");
    }

    /** A table cell's text: a pipe or a line break would end the cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
