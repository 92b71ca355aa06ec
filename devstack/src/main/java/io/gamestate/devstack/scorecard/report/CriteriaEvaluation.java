package io.gamestate.devstack.scorecard.report;

import static io.gamestate.devstack.scorecard.report.Figures.label;
import static io.gamestate.devstack.scorecard.report.Figures.ms;
import static io.gamestate.devstack.scorecard.report.Figures.number;
import static io.gamestate.devstack.scorecard.report.Figures.ratio;

import io.gamestate.devstack.scorecard.ProcessSampler;
import io.gamestate.devstack.scorecard.ScenarioReport.Check;
import io.gamestate.devstack.scorecard.ScenarioReport.Result;
import io.gamestate.devstack.scorecard.ScenarioReport.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns the scenario runs into the criteria table: every criterion's figure per store, coloured
 * against {@link Targets}. The one place that knows which scenario and variant answers which criterion.
 */
public final class CriteriaEvaluation {

    /** The order measured stores appear in; others follow alphabetically. */
    static final List<String> STORE_ORDER = List.of("embedded", "postgres", "pg-replica", "mariadb", "galera");

    private final List<ScenarioRun> runs;
    private final DocumentedFacts facts;

    public CriteriaEvaluation(List<ScenarioRun> runs, DocumentedFacts facts) {
        this.runs = runs;
        this.facts = facts;
    }

    public Scorecard scorecard() {
        List<Scorecard.Column> columns = new ArrayList<>();
        measuredStores().forEach(store -> columns.add(new Scorecard.Column(store, store, null)));
        facts.products().stream().filter(p -> p.notRunnableHere() != null)
                .forEach(p -> columns.add(new Scorecard.Column(p.id(), p.name(), p.notRunnableHere())));

        List<Scorecard.MeasuredCriterion> measured = List.of(
                criterion("RMW-units/s per GLS (game mix)", "≥ " + number(Targets.RMW_UNITS_PER_GLS) + " per GLS",
                        columns, this::rmwThroughput),
                criterion("p99 of an RMW (game mix, single calls)", "7–" + number(Targets.RMW_P99_MS) + " ms",
                        columns, this::rmwP99),
                criterion("Contention, Zipf 1.5: ratio to the bare store's procedure",
                        "single ≥ " + ratio(Targets.ZIPF_SINGLE_VS_PROCEDURE) + ", batched ≥ "
                                + ratio(Targets.ZIPF_BATCHED_VS_PROCEDURE), columns, this::zipfContention),
                criterion("Contention, uniform: ratio to the bare store",
                        "single ≥ " + ratio(Targets.UNIFORM_SINGLE_VS_SQL) + " plain SQL, batched ≥ "
                                + ratio(Targets.UNIFORM_BATCHED_VS_PROCEDURE) + " procedure",
                        columns, this::uniformContention),
                criterion("Query patterns: box query p99 under writes, 10k → 1M entities (box shrunk to hold as many)",
                        "≤ " + ms(Targets.BOX_QUERY_P99_MS) + " and flat (1M ≤ " + ratio(Targets.BOX_QUERY_FLATNESS)
                                + " 10k; suite's bound)", columns, this::boxQuery),
                criterion("Hot cell p99", "≤ " + ms(Targets.HOT_CELL_P99_MS), columns, this::hotCell),
                criterion("Ramp: highest rate with p99 ≤ " + ms(Targets.RAMP_P99_MS),
                        "≥ " + number(Targets.RAMP_RATE_PER_GLS) + "/s per GLS", columns, this::ramp),
                criterion("Scaling by GLS count", "≥ " + Math.round(Targets.GLS_SCALING_EFFICIENCY * 100)
                        + " % of linear (suite's bound)", columns, this::glsScaling),
                criterion("Resource use (store: CPU, peak RSS, WAL / binlog)", "reported, no target",
                        columns, this::resources),
                criterion("CPU per uniform transfer: the store's, state-service's, and the machine's cores busy",
                        "reported, no target", columns, this::cpuPerTransfer),
                criterion("CDC: commit-to-consumer lag p99 (game mix)", "≤ " + ms(Targets.CDC_LAG_P99_MS) + " (suite's bound)",
                        columns, this::cdcLag),
                criterion("CDC: RMW throughput with log capture on / off", "≥ " + ratio(Targets.CDC_THROUGHPUT_RATIO)
                        + " (suite's bound)", columns, this::cdcThroughput),
                criterion("CDC: changes streamed durably and in order", "checks hold", columns, this::cdcOrder),
                criterion("Integrity under node outages", "checks hold", columns, this::outageIntegrity),
                criterion("Recovery after a node fault: first OK / full throughput", "reported, no target", columns,
                        this::recovery),
                criterion("Throughput during a node fault", "reported, no target", columns, this::throughputDuringFault),
                criterion("Replica lag: staleness of a read on a replica, p50 / p99", "reported, no target", columns,
                        this::replicaLag),
                criterion("Synchronous replication: cost against asynchronous", "reported, no target", columns,
                        this::synchronousCost),
                criterion("Transactional integrity under concurrent load", "every check holds (gold conserved…)",
                        columns, this::transactionalIntegrity));

        List<Scorecard.DocumentedCriterion> documented = facts.criteria().stream()
                .map(c -> new Scorecard.DocumentedCriterion(c.name(), documentedCells(c, columns)))
                .toList();
        return new Scorecard(List.copyOf(columns), measured, documented, facts.checked());
    }

    List<String> measuredStores() {
        return runs.stream().map(ScenarioRun::store).distinct()
                .sorted(Comparator.comparing((String s) -> STORE_ORDER.contains(s) ? STORE_ORDER.indexOf(s) : STORE_ORDER.size())
                        .thenComparing(Function.identity()))
                .toList();
    }

    private static Scorecard.MeasuredCriterion criterion(String name, String target, List<Scorecard.Column> columns,
                                                         Function<String, Cell> measure) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Scorecard.Column column : columns) {
            cells.put(column.key(), column.measuredHere() ? measure.apply(column.key())
                    : Cell.notMeasured("not measured here: " + column.notRunnableReason()));
        }
        return new Scorecard.MeasuredCriterion(name, target, cells);
    }

    private Map<String, DocumentedFacts.Fact> documentedCells(DocumentedFacts.Criterion criterion,
                                                              List<Scorecard.Column> columns) {
        Map<String, DocumentedFacts.Fact> cells = new LinkedHashMap<>();
        for (Scorecard.Column column : columns) {
            String product = column.measuredHere()
                    ? facts.productOf(column.key()).map(DocumentedFacts.Product::id).orElse(null)
                    : column.key();
            DocumentedFacts.Fact fact = product == null ? null : criterion.cells().get(product);
            cells.put(column.key(), fact != null ? fact : new DocumentedFacts.Fact("no documented facts for this store", null));
        }
        return cells;
    }

    // --- the criteria, one store at a time ---

    Cell rmwThroughput(String store) {
        List<ScenarioRun> mix = runs(store, "game-mix");
        if (mix.isEmpty()) {
            return noRun("game-mix");
        }
        double best = Double.NaN;
        List<String> parts = new ArrayList<>();
        for (ScenarioRun run : mix) {
            for (ScenarioRun.Row row : run.rows()) {
                double perGls = row.result().goodput() / run.glsCount();
                best = Double.isNaN(best) ? perGls : Math.max(best, perGls);
                parts.add(describe(row.result()) + " " + number(perGls) + "/s");
            }
        }
        return new Cell(Targets.atLeast(best, Targets.RMW_UNITS_PER_GLS), String.join(" · ", parts) + " per GLS");
    }

    Cell rmwP99(String store) {
        List<Result> results = results(store, "game-mix").toList();
        if (results.isEmpty()) {
            return noRun("game-mix");
        }
        Optional<Result> single = results.stream().filter(r -> r.variant().equals("single")).findFirst();
        double judged = single.map(r -> r.latencyMs().p99())
                .orElseGet(() -> results.stream().mapToDouble(r -> r.latencyMs().p99()).min().orElse(Double.NaN));
        String text = String.join(" · ", results.stream().map(r -> describe(r) + " " + ms(r.latencyMs().p99())).toList());
        return new Cell(Targets.atMost(judged, Targets.RMW_P99_MS), text);
    }

    Cell zipfContention(String store) {
        return contention(store, 1.5, "bare-procedure", Targets.ZIPF_SINGLE_VS_PROCEDURE,
                "bare-procedure", Targets.ZIPF_BATCHED_VS_PROCEDURE);
    }

    Cell uniformContention(String store) {
        return contention(store, 0, "bare-sql", Targets.UNIFORM_SINGLE_VS_SQL,
                "bare-procedure", Targets.UNIFORM_BATCHED_VS_PROCEDURE);
    }

    private Cell contention(String store, double alpha, String singleBase, double singleTarget,
                            String batchedBase, double batchedTarget) {
        List<Result> atAlpha = results(store, "contended-transfers")
                .filter(r -> ScenarioRun.label(r, "alpha") == alpha).toList();
        if (atAlpha.isEmpty()) {
            return noRun("contended-transfers at alpha " + label(alpha));
        }
        Status status = Status.MET;
        List<String> parts = new ArrayList<>();
        boolean any = false;
        for (String[] pair : new String[][] {{"single", singleBase}, {"batched", batchedBase}}) {
            Optional<Result> suite = variant(atAlpha, pair[0]);
            Optional<Result> bare = variant(atAlpha, pair[1]);
            if (suite.isEmpty() || bare.isEmpty() || bare.get().goodput() == 0) {
                parts.add(pair[0] + " vs " + pair[1] + ": not run");
                continue;
            }
            double ratio = suite.get().goodput() / bare.get().goodput();
            status = status.worse(Targets.atLeast(ratio, pair[0].equals("single") ? singleTarget : batchedTarget));
            parts.add(pair[0] + " " + ratio(ratio) + " " + pair[1]);
            any = true;
        }
        return any ? new Cell(status, String.join(" · ", parts)) : Cell.notMeasured(String.join(" · ", parts));
    }

    Cell boxQuery(String store) {
        TreeMap<Double, Double> p99BySize = new TreeMap<>();
        results(store, "reads-under-writes").filter(r -> r.variant().equals("box"))
                .forEach(r -> p99BySize.put(ScenarioRun.label(r, "worldEntities"), r.latencyMs().p99()));
        p99BySize.remove(Double.NaN);
        if (p99BySize.isEmpty()) {
            return noRun("reads-under-writes (box)");
        }
        double worst = p99BySize.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        Status status = Targets.atMost(worst, Targets.BOX_QUERY_P99_MS);
        List<String> parts = new ArrayList<>();
        p99BySize.forEach((size, p99) -> parts.add(ms(p99) + " @" + label(size)));
        if (p99BySize.size() > 1) {
            double growth = p99BySize.lastEntry().getValue() / p99BySize.firstEntry().getValue();
            status = status.worse(Targets.atMost(growth, Targets.BOX_QUERY_FLATNESS));
            parts.add("growth " + ratio(growth));
        }
        return new Cell(status, "p99 " + String.join(" · ", parts));
    }

    Cell hotCell(String store) {
        List<Result> results = results(store, "hot-cell").toList();
        if (results.isEmpty()) {
            return noRun("hot-cell");
        }
        double worst = results.stream().mapToDouble(r -> r.latencyMs().p99()).max().orElseThrow();
        return new Cell(Targets.atMost(worst, Targets.HOT_CELL_P99_MS),
                String.join(" · ", results.stream().map(r -> describe(r) + " p99 " + ms(r.latencyMs().p99())).toList()));
    }

    Cell ramp(String store) {
        List<ScenarioRun> ramps = runs(store, "ramp");
        if (ramps.isEmpty()) {
            return noRun("ramp");
        }
        ScenarioRun run = ramps.get(0);
        Double found = run.report().findings() == null ? null : run.report().findings().get("highestRateWithinP99");
        double highest = found != null ? found : run.rows().stream().map(ScenarioRun.Row::result)
                .filter(r -> r.latencyMs().p99() <= Targets.RAMP_P99_MS)
                .mapToDouble(r -> ScenarioRun.label(r, "rate")).filter(rate -> !Double.isNaN(rate)).max().orElse(0);
        double perGls = highest / run.glsCount();
        // A level's p99 is a few dozen calls: one stall puts a lower level over the bound, and the cell says so.
        List<String> lowerOver = run.rows().stream().map(ScenarioRun.Row::result)
                .filter(r -> ScenarioRun.label(r, "rate") < highest && r.latencyMs().p99() > Targets.RAMP_P99_MS)
                .map(r -> number(ScenarioRun.label(r, "rate"))).toList();
        return new Cell(Targets.atLeast(perGls, Targets.RAMP_RATE_PER_GLS),
                number(perGls) + "/s per GLS" + (run.glsCount() > 1 ? " (" + number(highest) + "/s over "
                        + run.glsCount() + " GLS)" : "") + (lowerOver.isEmpty() ? ""
                        : "; p99 over " + number(Targets.RAMP_P99_MS) + " ms at the lower " + String.join(", ", lowerOver) + "/s"));
    }

    Cell glsScaling(String store) {
        TreeMap<Double, Double> goodputByGls = new TreeMap<>();
        results(store, "gls-scaling").forEach(r -> goodputByGls.put(ScenarioRun.label(r, "glsCount"), r.goodput()));
        goodputByGls.remove(Double.NaN);
        if (goodputByGls.size() < 2 || !goodputByGls.containsKey(1.0)) {
            return noRun("gls-scaling with 1 and more GLS");
        }
        double most = goodputByGls.lastKey();
        double efficiency = goodputByGls.get(most) / (most * goodputByGls.get(1.0));
        List<String> parts = new ArrayList<>();
        goodputByGls.forEach((gls, goodput) -> parts.add(label(gls) + " GLS " + number(goodput) + "/s"));
        return new Cell(Targets.atLeast(efficiency, Targets.GLS_SCALING_EFFICIENCY),
                String.join(" · ", parts) + " → " + Math.round(efficiency * 100) + " % of linear");
    }

    Cell resources(String store) {
        List<Usage> usages = runs.stream().filter(r -> r.store().equals(store))
                .filter(r -> r.report().resources() != null && r.report().resources().store() != null)
                .map(r -> r.report().resources().store()).toList();
        if (usages.isEmpty()) {
            return Cell.notMeasured("not measured (no scenario reported resources)");
        }
        double cpu = usages.stream().mapToDouble(Usage::cpuSeconds).sum();
        double rss = usages.stream().mapToDouble(Usage::peakRssMiB).max().orElseThrow();
        List<String> parts = new ArrayList<>(List.of("CPU " + number(cpu) + " s", "peak RSS " + number(rss) + " MiB"));
        long log = usages.stream().map(Usage::logBytes).filter(b -> b != null).mapToLong(Long::longValue).sum();
        long binlog = usages.stream().map(Usage::binlogBytes).filter(b -> b != null).mapToLong(Long::longValue).sum();
        if (log > 0) {
            parts.add("WAL/redo " + Figures.bytes(log));
        }
        if (binlog > 0) {
            parts.add("binlog " + Figures.bytes(binlog));
        }
        return new Cell(Status.INFO, String.join(" · ", parts) + " over " + usages.size() + " scenarios");
    }

    /**
     * Per contended-transfers mode at alpha 0, the store's CPU per transfer (and state-service's),
     * and how many of the machine's cores were busy: the bare store's windows and the suite's ran
     * on the same cores, so a mode that left cores idle was held back by waiting, not by work.
     */
    Cell cpuPerTransfer(String store) {
        List<Result> measured = results(store, "contended-transfers")
                .filter(r -> ScenarioRun.label(r, "alpha") == 0 && r.cpuCores() != null && r.goodput() > 0).toList();
        if (measured.isEmpty()) {
            return noRun("contended-transfers at alpha 0 with CPU per window");
        }
        List<String> parts = new ArrayList<>();
        for (Result r : measured) {
            Map<String, Double> cores = r.cpuCores();
            String text = r.variant() + ": store " + microsPer(cores.get("store"), r.goodput());
            double service = cores.getOrDefault("state-service", 0.0);
            if (service >= 0.01) {
                text += " + state-service " + microsPer(service, r.goodput());
            }
            parts.add(text + ", machine " + String.format(Locale.ROOT, "%.2f", cores.get(ProcessSampler.MACHINE)) + " cores busy");
        }
        return new Cell(Status.INFO, String.join(" · ", parts));
    }

    private static String microsPer(Double cores, double perSecond) {
        return cores == null ? "?" : number(cores / perSecond * 1e6) + " µs";
    }

    Cell cdcLag(String store) {
        Map<String, Double> f = cdcFindings(store);
        if (f == null) {
            return noRun("cdc");
        }
        String source = results(store, "cdc").findFirst().map(r -> String.valueOf(r.labels().get("watch-source"))).orElse("?");
        List<String> parts = new ArrayList<>(List.of("change streams (watch-source=" + source + "): p50 "
                + ms(f.get("watchLagP50Ms")) + ", p99 " + ms(f.get("watchLagP99Ms"))));
        double worst = f.get("watchLagP99Ms");
        if (f.containsKey("busLagP99Ms")) {
            parts.add("log capture → NATS bus consumer: p50 " + ms(f.get("busLagP50Ms")) + ", p99 " + ms(f.get("busLagP99Ms")));
            worst = Math.max(worst, f.get("busLagP99Ms"));
        } else {
            parts.add("log capture: not available on this store (no row log)");
        }
        return new Cell(Targets.atMost(worst, Targets.CDC_LAG_P99_MS), String.join(" · ", parts));
    }

    Cell cdcThroughput(String store) {
        Map<String, Double> f = cdcFindings(store);
        if (f == null) {
            return noRun("cdc");
        }
        Double ratio = f.get("captureOnToOffThroughput");
        if (ratio == null) {
            return Cell.notMeasured("log capture not available on this store (PostgreSQL needs wal_level=logical, MariaDB a row binlog)");
        }
        return new Cell(Targets.atLeast(ratio, Targets.CDC_THROUGHPUT_RATIO), ratio(ratio) + " (game mix, single calls)");
    }

    Cell cdcOrder(String store) {
        List<Check> checks = checks(store, run -> run.scenario().equals("cdc"));
        if (checks.isEmpty()) {
            return Cell.notMeasured(cdcFindings(store) == null ? "not measured (no cdc run)"
                    : "log capture not available on this store; across restarts and kill -9: the cdc module's and query-service's watch tests");
        }
        Cell cell = integrity(checks);
        return new Cell(cell.status(), cell.text() + "; across a consumer restart and a store kill -9: the cdc module's and query-service's watch tests");
    }

    private Map<String, Double> cdcFindings(String store) {
        return runs(store, "cdc").stream().map(r -> r.report().findings()).filter(f -> f != null && f.containsKey("watchLagP99Ms"))
                .findFirst().orElse(null);
    }

    Cell outageIntegrity(String store) {
        List<Check> checks = checks(store, CriteriaEvaluation::faultScenario);
        return checks.isEmpty() ? noRun("fault scenario") : integrity(checks);
    }

    /** A scenario that hurts the store's nodes: the failover drill, node outages. */
    static boolean faultScenario(ScenarioRun run) {
        return run.scenario().equals("failover") || run.scenario().contains("outage");
    }

    /** Fault scenarios report per fault {@code <fault>.firstOkMs}, {@code .fullThroughputMs}, {@code .okPerSecondBefore}, {@code .okPerSecondDuring}. */
    Cell recovery(String store) {
        return perFault(store, (fault, f) -> fault + ": first OK " + seconds(f.get("firstOkMs")) + ", full throughput "
                + seconds(f.get("fullThroughputMs")));
    }

    Cell throughputDuringFault(String store) {
        return perFault(store, (fault, f) -> fault + ": " + number(f.getOrDefault("okPerSecondDuring", Double.NaN)) + " OK/s ("
                + Math.round(100 * f.getOrDefault("okPerSecondDuring", Double.NaN) / f.getOrDefault("okPerSecondBefore", Double.NaN))
                + " % of " + number(f.getOrDefault("okPerSecondBefore", Double.NaN)) + " before)");
    }

    private Cell perFault(String store, java.util.function.BiFunction<String, Map<String, Double>, String> describe) {
        Map<String, Map<String, Double>> byFault = new TreeMap<>();
        runs.stream().filter(r -> r.store().equals(store) && faultScenario(r) && r.report().findings() != null)
                .flatMap(r -> r.report().findings().entrySet().stream())
                .filter(e -> e.getKey().contains("."))
                .forEach(e -> byFault.computeIfAbsent(e.getKey().substring(0, e.getKey().lastIndexOf('.')), k -> new TreeMap<>())
                        .put(e.getKey().substring(e.getKey().lastIndexOf('.') + 1), e.getValue()));
        if (byFault.isEmpty()) {
            return noRun("fault scenario");
        }
        List<String> parts = new ArrayList<>();
        byFault.forEach((fault, figures) -> parts.add(describe.apply(fault, figures)));
        return new Cell(Status.INFO, String.join(" · ", parts));
    }

    private static String seconds(Double millis) {
        return millis == null || Double.isNaN(millis) ? "never" : number(millis / 1000) + " s";
    }

    /** The replication scenario reports {@code replicaLagP50Ms.<mode>} and {@code replicaLagP99Ms.<mode>}, mode async or sync. */
    Cell replicaLag(String store) {
        Map<String, Double> findings = findings(store, "replication");
        List<String> parts = new ArrayList<>();
        for (String mode : List.of("async", "sync")) {
            if (findings.containsKey("replicaLagP50Ms." + mode)) {
                parts.add(mode + " " + ms(findings.get("replicaLagP50Ms." + mode)) + " / " + ms(findings.get("replicaLagP99Ms." + mode)));
            }
        }
        return parts.isEmpty() ? noRun("replication") : new Cell(Status.INFO, String.join(" · ", parts));
    }

    Cell synchronousCost(String store) {
        Map<String, Double> findings = findings(store, "replication");
        if (!findings.containsKey("syncThroughputRatio")) {
            return noRun("replication");
        }
        return new Cell(Status.INFO, "throughput " + ratio(findings.get("syncThroughputRatio")) + ", p99 "
                + ratio(findings.get("syncP99Ratio")) + " of asynchronous (game mix, single calls)");
    }

    private Map<String, Double> findings(String store, String scenario) {
        Map<String, Double> findings = new TreeMap<>();
        runs(store, scenario).stream().filter(r -> r.report().findings() != null).forEach(r -> findings.putAll(r.report().findings()));
        return findings;
    }

    Cell transactionalIntegrity(String store) {
        List<Check> checks = checks(store, run -> true);
        return checks.isEmpty() ? Cell.notMeasured("not measured (no scenario reported checks)") : integrity(checks);
    }

    private static Cell integrity(List<Check> checks) {
        List<Check> failed = checks.stream().filter(c -> !c.holds()).toList();
        if (failed.isEmpty()) {
            return new Cell(Status.MET, checks.size() + "/" + checks.size() + " checks hold ("
                    + String.join(", ", checks.stream().map(Check::name).distinct().toList()) + ")");
        }
        return new Cell(Status.MISSED, failed.size() + "/" + checks.size() + " checks failed: "
                + String.join("; ", failed.stream().map(c -> c.name() + (c.detail() == null ? "" : " (" + c.detail() + ")")).toList()));
    }

    // --- lookups ---

    private List<ScenarioRun> runs(String store, String scenario) {
        return runs.stream().filter(r -> r.store().equals(store) && r.scenario().equals(scenario)).toList();
    }

    private Stream<Result> results(String store, String scenario) {
        return runs(store, scenario).stream().flatMap(r -> r.rows().stream()).map(ScenarioRun.Row::result);
    }

    private List<Check> checks(String store, java.util.function.Predicate<ScenarioRun> which) {
        return runs.stream().filter(r -> r.store().equals(store)).filter(which)
                .filter(r -> r.report().checks() != null).flatMap(r -> r.report().checks().stream()).toList();
    }

    private static Optional<Result> variant(List<Result> results, String variant) {
        return results.stream().filter(r -> r.variant().equals(variant)).findFirst();
    }

    private static Cell noRun(String scenario) {
        return Cell.notMeasured("not measured (no " + scenario + " run)");
    }

    /** A result named by its variant and labels: "single", "box @worldEntities=10000". */
    static String describe(Result result) {
        if (result.labels() == null || result.labels().isEmpty()) {
            return result.variant();
        }
        List<String> labels = new ArrayList<>();
        new TreeMap<>(result.labels()).forEach((k, v) -> labels.add(k + "=" + label(v)));
        return result.variant() + " (" + String.join(", ", labels) + ")";
    }
}
