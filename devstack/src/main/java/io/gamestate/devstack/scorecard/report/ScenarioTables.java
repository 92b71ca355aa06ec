package io.gamestate.devstack.scorecard.report;

import static io.gamestate.devstack.scorecard.report.Figures.number;

import io.gamestate.devstack.scorecard.ProcessSampler;
import io.gamestate.devstack.scorecard.ScenarioReport;
import io.gamestate.devstack.scorecard.ScenarioReport.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What both pages show per scenario and per store, as plain strings: the pages only lay it out. */
final class ScenarioTables {

    /** The order scenarios appear in; any other follows alphabetically. */
    static final List<String> SCENARIO_ORDER =
            List.of("game-mix", "contended-transfers", "hot-cell", "reads-under-writes", "ramp", "gls-scaling");

    static final List<String> HEADER = List.of("store", "variant", "labels", "unit", "throughput/s", "goodput/s",
            "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "answers by code", "retries", "CPU cores in the window",
            "store resources (run)");

    private ScenarioTables() {
    }

    /** Runs by scenario name, scenarios in {@link #SCENARIO_ORDER}, runs in the order given. */
    static Map<String, List<ScenarioRun>> byScenario(List<ScenarioRun> runs) {
        Map<String, List<ScenarioRun>> sorted = new LinkedHashMap<>();
        SCENARIO_ORDER.forEach(name -> runs.stream().filter(r -> r.scenario().equals(name))
                .forEach(r -> sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(r)));
        runs.stream().filter(r -> !SCENARIO_ORDER.contains(r.scenario()))
                .collect(Collectors.groupingBy(ScenarioRun::scenario, TreeMap::new, Collectors.toList()))
                .forEach(sorted::put);
        return sorted;
    }

    static String title(List<ScenarioRun> runs) {
        ScenarioReport.Scenario scenario = runs.get(0).report().scenario();
        return scenario.title() == null ? scenario.name() : scenario.name() + ": " + scenario.title();
    }

    static List<List<String>> rows(List<ScenarioRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (ScenarioRun run : runs) {
            boolean first = true;
            for (ScenarioRun.Row row : run.rows()) {
                Result r = row.result();
                rows.add(List.of(run.store(), r.variant(), labels(r), r.unit(), number(r.throughput()), number(r.goodput()),
                        number(r.latencyMs().p50()), number(r.latencyMs().p95()), number(r.latencyMs().p99()),
                        number(r.latencyMs().p999()), number(r.latencyMs().max()), counts(r.answersByCode()),
                        counts(r.retriesByClass()), cores(r.cpuCores()), first ? storeUsage(run) : ""));
                first = false;
            }
        }
        return rows;
    }

    static String labels(Result result) {
        if (result.labels() == null || result.labels().isEmpty()) {
            return "";
        }
        return new TreeMap<>(result.labels()).entrySet().stream()
                .map(e -> e.getKey() + "=" + Figures.label(e.getValue())).collect(Collectors.joining(", "));
    }

    static String counts(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return "–";
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** "machine 1.95 · store 1.40 · state-service 0.45": the machine first, then each process that kept a core busy 1 % or more. */
    static String cores(Map<String, Double> cpuCores) {
        if (cpuCores == null || cpuCores.isEmpty()) {
            return "–";
        }
        Map<String, Double> shown = new LinkedHashMap<>();
        if (cpuCores.containsKey(ProcessSampler.MACHINE)) {
            shown.put(ProcessSampler.MACHINE, cpuCores.get(ProcessSampler.MACHINE));
        }
        cpuCores.forEach((name, cores) -> {
            if (cores >= 0.01) {
                shown.putIfAbsent(name, cores);
            }
        });
        return shown.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(" · "));
    }

    static String storeUsage(ScenarioRun run) {
        ScenarioReport.Resources resources = run.report().resources();
        if (resources == null || resources.store() == null) {
            return "–";
        }
        ScenarioReport.Usage u = resources.store();
        StringBuilder text = new StringBuilder("CPU " + number(u.cpuSeconds()) + " s, RSS " + number(u.peakRssMiB()) + " MiB");
        if (u.logBytes() != null) {
            text.append(", WAL/redo ").append(Figures.bytes(u.logBytes()));
        }
        if (u.binlogBytes() != null) {
            text.append(", binlog ").append(Figures.bytes(u.binlogBytes()));
        }
        return text.toString();
    }

    /** "commit abc1234 on cores=8, memory=32 GiB, … (postgres, mariadb)": where each store was measured. */
    static List<String> provenance(List<ScenarioRun> runs) {
        Map<String, List<String>> storesByPlace = new LinkedHashMap<>();
        for (ScenarioRun run : runs) {
            ScenarioReport.Suite suite = run.report().suite();
            String machine = suite.machine() == null || suite.machine().isEmpty() ? "an unrecorded machine"
                    : new TreeMap<>(suite.machine()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", "));
            List<String> stores = storesByPlace.computeIfAbsent("commit " + suite.commit() + " on " + machine,
                    k -> new ArrayList<>());
            if (!stores.contains(run.store())) {
                stores.add(run.store());
            }
        }
        return storesByPlace.entrySet().stream()
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
    }

    /** Per store: product, family and the settings the store and the suite reported, from its first file. */
    static Map<String, List<String>> settings(List<ScenarioRun> runs) {
        Map<String, List<String>> byStore = new LinkedHashMap<>();
        for (ScenarioRun run : runs) {
            byStore.computeIfAbsent(run.store(), store -> {
                ScenarioReport report = run.report();
                List<String> lines = new ArrayList<>();
                lines.add("product: " + (report.store().product() == null ? "unknown" : report.store().product())
                        + " (" + report.store().family() + ")");
                if (report.store().settings() != null) {
                    new TreeMap<>(report.store().settings()).forEach((k, v) -> lines.add("store " + k + " = " + v));
                }
                lines.add("suite tracing = " + report.suite().tracing());
                if (report.suite().settings() != null) {
                    new TreeMap<>(report.suite().settings()).forEach((k, v) -> lines.add("suite " + k + " = " + v));
                }
                return lines;
            });
        }
        return byStore;
    }
}
