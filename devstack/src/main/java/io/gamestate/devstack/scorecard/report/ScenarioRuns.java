package io.gamestate.devstack.scorecard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.devstack.scorecard.ScenarioReport;
import io.gamestate.devstack.scorecard.ScenarioReport.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the runner's output: {@code <dir>/<store-label>/<scenario>.json}, each checked against the
 * schema, and the per-second CSVs they name. Only that depth is read, so other tools' JSON in
 * deeper folders (transfers' {@code params.json}, {@code summary.json}) is not mistaken for a scenario.
 */
public final class ScenarioRuns {

    static final String CSV_HEADER = "second,throughput,p50_ms,p99_ms,errors";

    private final ReportSchema schema;
    private final ObjectMapper json = new ObjectMapper();

    public ScenarioRuns(ReportSchema schema) {
        this.schema = schema;
    }

    /** Every scenario file under {@code dir}, sorted by path; fails on the first invalid one. */
    public List<ScenarioRun> load(Path dir) {
        List<ScenarioRun> runs = new ArrayList<>();
        for (Path file : scenarioFiles(dir)) {
            runs.add(read(file));
        }
        return runs;
    }

    static List<Path> scenarioFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ScorecardException("no such directory: " + dir);
        }
        try (Stream<Path> files = Files.find(dir, 2, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().endsWith(".json") && dir.relativize(path).getNameCount() == 2)) {
            return files.sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new ScorecardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    ScenarioRun read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScorecardException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<String> problems = schema.problems(text);
        if (!problems.isEmpty()) {
            throw new ScorecardException(file + " does not match " + ReportSchema.RESOURCE + ":\n  "
                    + String.join("\n  ", problems));
        }
        ScenarioReport report;
        try {
            report = json.readValue(text, ScenarioReport.class);
        } catch (IOException e) {
            throw new ScorecardException(file + ": " + e.getMessage(), e);
        }
        String folder = file.getParent().getFileName().toString();
        if (!folder.equals(report.store().label())) {
            throw new ScorecardException(file + ": store label '" + report.store().label()
                    + "' differs from its folder '" + folder + "'");
        }
        List<ScenarioRun.Row> rows = new ArrayList<>();
        for (Result result : report.results()) {
            rows.add(new ScenarioRun.Row(result,
                    result.series() == null ? List.of() : series(file, file.resolveSibling(result.series()))));
        }
        return new ScenarioRun(file, report, List.copyOf(rows));
    }

    static List<SecondSample> series(Path owner, Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new ScorecardException(owner + " names the series " + csv + ", which cannot be read: " + e, e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(CSV_HEADER)) {
            throw new ScorecardException(csv + ": the first line must be '" + CSV_HEADER + "'");
        }
        List<SecondSample> samples = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            try {
                if (cells.length != 5) {
                    throw new NumberFormatException("5 columns expected, found " + cells.length);
                }
                samples.add(new SecondSample(Integer.parseInt(cells[0]), Double.parseDouble(cells[1]),
                        Double.parseDouble(cells[2]), Double.parseDouble(cells[3]), Long.parseLong(cells[4])));
            } catch (NumberFormatException e) {
                throw new ScorecardException(csv + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(samples);
    }
}
