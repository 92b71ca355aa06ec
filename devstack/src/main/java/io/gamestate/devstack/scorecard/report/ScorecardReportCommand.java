package io.gamestate.devstack.scorecard.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads every scenario file of a scorecard run, checks each against the schema, and writes the scorecard pages. */
@Command(name = "scorecard-report", showDefaultValues = true,
        description = "Validate <dir>/<store>/<scenario>.json and write <dir>/scorecard.html and <dir>/scorecard.md.")
public class ScorecardReportCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "<dir>", defaultValue = "target/scorecard",
            description = "The scorecard directory: one folder per store label, one JSON per scenario.")
    Path dir;

    @Override
    public Integer call() {
        try {
            List<Path> written = write(dir);
            written.forEach(path -> System.out.println("wrote " + path));
            return 0;
        } catch (ScorecardException e) {
            System.err.println("scorecard-report: " + e.getMessage());
            return 1;
        }
    }

    /** Loads, evaluates and renders; returns the two files written. */
    public static List<Path> write(Path dir) {
        List<ScenarioRun> runs = new ScenarioRuns(new ReportSchema()).load(dir);
        if (runs.isEmpty()) {
            throw new ScorecardException("no scenario files in " + dir + " (expected <store-label>/<scenario>.json)");
        }
        Scorecard scorecard = new CriteriaEvaluation(runs, DocumentedFacts.load()).scorecard();
        Path html = dir.resolve("scorecard.html");
        Path md = dir.resolve("scorecard.md");
        try {
            Files.writeString(html, HtmlPage.render(scorecard, runs));
            Files.writeString(md, MarkdownPage.render(scorecard, runs));
        } catch (IOException e) {
            throw new ScorecardException("cannot write into " + dir + ": " + e.getMessage(), e);
        }
        return List.of(html, md);
    }
}
