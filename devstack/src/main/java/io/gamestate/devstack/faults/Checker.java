package io.gamestate.devstack.faults;

import io.gamestate.devstack.Sleeps;
import io.gamestate.devstack.faults.History.Entry;
import io.gamestate.devstack.faults.History.Fault;
import io.gamestate.devstack.faults.History.Outcome;
import io.gamestate.devstack.transfers.BareStore;
import io.gamestate.proto.state.v1.CellVersion;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.StateService;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a fault scenario left, checked from the store and the client's {@link History}: the bank
 * check (gold and resource amounts conserved), counters and aggregates against a recount, the
 * change log gap-free per cell, every acknowledged unit stored with the result the client was
 * told and its change events where that result says, every refused unit absent, every unit whose
 * outcome the client never learned re-sent under its request id and then found applied once or
 * not at all, never twice; and per fault, goodput during it and the time to the first OK and to
 * full throughput. Store-neutral: plain SQL on the suite's tables, both families.
 */
public final class Checker {

    /** Full throughput: every one of these seconds in a row at or above this share of the throughput before the fault. */
    static final double FULL_SHARE = 0.8;
    static final int FULL_SECONDS = 3;
    /** How long unknown units are re-sent before the rest count as unresolved (the store may still be rejoining). */
    static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(60);

    private final BareStore store;
    private final List<StateService> services;

    /** services: where unknown units are re-sent, tried in turn. */
    public Checker(BareStore store, List<StateService> services) {
        this.store = store;
        this.services = services;
    }

    /** How a unit of unknown outcome turned out when re-sent. */
    public enum Resolution {
        APPLIED_BEFORE, APPLIED_NOW, NOT_APPLIED, UNRESOLVED
    }

    /** One fault's timing, from the OK answers around it; millisecond figures are from the fault's start, null when never. */
    public record FaultTiming(String fault, long startMillis, long durationMillis, double okPerSecondBefore,
            double okPerSecondDuring, Long firstOkMillis, Long fullThroughputMillis) {
    }

    /** Counts of each kind of violation, with up to ten request ids or rows each as examples. */
    public record Report(int units, int acknowledged, int failed, int unknown, Map<Resolution, Integer> unknownResolved,
            long goldBefore, long goldAfter, long amountBefore, long amountAfter, Map<String, Integer> violations,
            Map<String, List<String>> examples, List<FaultTiming> faults, Map<Long, Integer> okPerSecond) {

        public int violationCount() {
            return violations.values().stream().mapToInt(Integer::intValue).sum();
        }

        public boolean holds() {
            return violationCount() == 0;
        }
    }

    /** Violation names: the report's keys, one home. */
    public static final String LOST_ACK = "acknowledged unit not stored";
    public static final String RESULT_DIFFERS = "stored result differs from the acknowledged one";
    public static final String EFFECT_MISSING = "acknowledged unit's change event missing";
    public static final String REFUSED_APPLIED = "refused unit found applied";
    public static final String APPLIED_TWICE = "unit applied more than once";
    public static final String UNRESOLVED = "unknown unit unresolved after re-sending";
    public static final String GOLD = "gold not conserved";
    public static final String AMOUNT = "resource amounts not conserved";
    public static final String COUNTERS = "cell counter differs from a recount";
    public static final String AGGREGATES = "cell aggregate differs from a recount";
    public static final String CHANGE_LOG_GAP = "cell's change log has a gap";
    public static final String OWNERS = "held row not owned by its parent's owner";
    public static final String NO_GOODPUT = "no OK answer during a fault";
    public static final String SERVICE_STUCK = "state-service does not replay an acknowledged unit after the faults";
    public static final String SAME_VERSION = "two units wrote the same version of an entity";
    public static final String ROW_DIFFERS = "entity row differs from its newest written version";

    public Report check(History.Recorded history) throws SQLException {
        Map<String, Integer> violations = new LinkedHashMap<>();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        Violations v = new Violations(violations, examples);

        List<Entry> entries = history.entries();
        Map<String, ResolvedUnit> resolutions = resolve(entries.stream().filter(e -> e.outcome() == Outcome.UNKNOWN).toList());
        Map<Resolution, Integer> resolved = new TreeMap<>();
        Map<String, RmwResult> resolvedResults = new HashMap<>();
        resolutions.forEach((id, r) -> {
            resolved.merge(r.resolution(), 1, Integer::sum);
            if (r.resolution() == Resolution.UNRESOLVED) {
                v.add(UNRESOLVED, id + " (re-sends answered: " + r.answers() + ")");
            } else if (r.result() != null) {
                resolvedResults.put(id, r.result());
            }
        });

        probe(entries, v);
        Set<String> ids = new HashSet<>();
        entries.forEach(e -> ids.add(e.requestId()));
        try (Connection c = store.connect()) {
            Map<String, RmwResult> stored = storedResults(c, ids);
            Map<String, Map<Long, List<Long>>> events = changeEvents(c, ids);
            for (Entry e : entries) {
                String id = e.requestId();
                Map<Long, List<Long>> byCell = events.getOrDefault(id, Map.of());
                byCell.forEach((cell, versions) -> {
                    if (versions.size() > 1) {
                        v.add(APPLIED_TWICE, id + " in cell " + cell + " at versions " + versions);
                    }
                });
                switch (e.outcome()) {
                    case OK -> checkAcknowledged(v, e.result(), stored.get(id), byCell);
                    case FAILED -> {
                        if (stored.containsKey(id) || !byCell.isEmpty()) {
                            v.add(REFUSED_APPLIED, id + " (" + e.code() + ")");
                        }
                    }
                    case UNKNOWN -> {
                        RmwResult result = resolvedResults.get(id);
                        if (result != null) {
                            checkAcknowledged(v, result, stored.get(id), byCell);
                        } else if (resolutions.get(id).resolution() == Resolution.NOT_APPLIED
                                && (stored.containsKey(id) || !byCell.isEmpty())) {
                            v.add(REFUSED_APPLIED, id + " (re-sent and refused, yet stored)");
                        }
                    }
                }
            }
            checkWrites(c, v, stored);
            long[] totals = totals(c);
            if (totals[0] != history.totals().gold()) {
                v.add(GOLD, "SUM(gold) " + history.totals().gold() + " before, " + totals[0] + " after");
            }
            if (totals[1] != history.totals().amount()) {
                v.add(AMOUNT, "SUM(amount) " + history.totals().amount() + " before, " + totals[1] + " after");
            }
            recount(c, v);
            c.commit();

            List<FaultTiming> timings = new ArrayList<>();
            Map<Long, Integer> okPerSecond = okPerSecond(entries);
            for (Fault f : history.faults()) {
                FaultTiming t = timing(f, entries);
                timings.add(t);
                if (t.okPerSecondDuring() == 0) {
                    v.add(NO_GOODPUT, f.name() + " for " + t.durationMillis() + " ms");
                }
            }
            int acknowledged = (int) entries.stream().filter(e -> e.outcome() == Outcome.OK).count();
            int failed = (int) entries.stream().filter(e -> e.outcome() == Outcome.FAILED).count();
            return new Report(entries.size(), acknowledged, failed, entries.size() - acknowledged - failed, resolved,
                    history.totals().gold(), totals[0], history.totals().amount(), totals[1], violations, examples, timings,
                    okPerSecond);
        }
    }

    /**
     * Every state-service serves again after the faults: each is sent an acknowledged unit again
     * and must answer its stored result, replayed (the whole write path, nothing new written).
     */
    private void probe(List<Entry> entries, Violations v) {
        List<Entry> acknowledged = entries.stream().filter(e -> e.outcome() == Outcome.OK).toList();
        for (int i = 0; i < services.size() && !acknowledged.isEmpty(); i++) {
            Entry e = acknowledged.get(acknowledged.size() - 1 - i % acknowledged.size());
            try {
                RmwResult r = services.get(i).applyRmw(e.unit()).await().atMost(Duration.ofMinutes(1));
                if (!r.getReplayed() || !sameResult(r, e.result())) {
                    v.add(SERVICE_STUCK, "state-service " + (i + 1) + " answered " + e.requestId() + " with "
                            + (r.getReplayed() ? "another result" : "a new application"));
                }
            } catch (RuntimeException failure) {
                v.add(SERVICE_STUCK, "state-service " + (i + 1) + ": " + Status.fromThrowable(failure));
            }
        }
    }

    /** An acknowledged unit (or an unknown one that re-sending found applied): stored as told, its events where it says. */
    private static void checkAcknowledged(Violations v, RmwResult told, RmwResult stored, Map<Long, List<Long>> byCell) {
        String id = told.getRequestId();
        if (stored == null) {
            v.add(LOST_ACK, id);
            return;
        }
        if (!sameResult(stored, told)) {
            v.add(RESULT_DIFFERS, id);
        }
        for (CellVersion cv : told.getCellsList()) {
            if (!byCell.getOrDefault(cv.getCellId(), List.of()).contains(cv.getVersion())) {
                v.add(EFFECT_MISSING, id + " in cell " + cv.getCellId() + " at version " + cv.getVersion());
            }
        }
    }

    /** answers: what the re-sends answered, to tell why a unit stayed unresolved. */
    /** The same result, whether or not either answer was a replay. */
    private static boolean sameResult(RmwResult a, RmwResult b) {
        return a.toBuilder().clearReplayed().build().equals(b.toBuilder().clearReplayed().build());
    }

    private record ResolvedUnit(Resolution resolution, RmwResult result, String answers) {
    }

    /**
     * Re-sends each unit under its own request id, all at once, in rounds through the
     * state-services in turn (a hung one costs a round its deadline, not a unit each), until each
     * has an answer the client can trust or {@link #RESOLVE_TIMEOUT} has passed.
     */
    private Map<String, ResolvedUnit> resolve(List<Entry> unknown) {
        Map<String, ResolvedUnit> out = new LinkedHashMap<>();
        List<Entry> pending = new ArrayList<>(unknown);
        Map<String, String> answers = new HashMap<>();
        Map<Entry, Integer> firstService = new HashMap<>();
        for (int i = 0; i < unknown.size(); i++) {
            firstService.put(unknown.get(i), i % services.size());
        }
        long deadline = System.nanoTime() + RESOLVE_TIMEOUT.toNanos();
        for (int round = 0; !pending.isEmpty() && System.nanoTime() < deadline; round++) {
            Map<Entry, CompletableFuture<RmwResult>> sent = new LinkedHashMap<>();
            Map<Entry, Integer> sentTo = new HashMap<>();
            for (Entry e : pending) {
                // Each unit goes to the next service each round: one that hangs holds no unit twice in a row.
                int service = (firstService.get(e) + round) % services.size();
                sentTo.put(e, service + 1);
                sent.put(e, services.get(service).applyRmw(e.unit()).subscribeAsCompletionStage());
            }
            List<Entry> again = new ArrayList<>();
            sent.forEach((e, answer) -> {
                try {
                    RmwResult r = answer.get(1, TimeUnit.MINUTES);
                    out.put(e.requestId(), new ResolvedUnit(r.getReplayed() ? Resolution.APPLIED_BEFORE : Resolution.APPLIED_NOW, r, "OK"));
                } catch (ExecutionException failure) {
                    Status status = Status.fromThrowable(failure.getCause());
                    if (Outcome.ofFailure(status.getCode()) == Outcome.FAILED) {
                        out.put(e.requestId(), new ResolvedUnit(Resolution.NOT_APPLIED, null, status.toString()));
                    } else {
                        answers.merge(e.requestId(), "state-service " + sentTo.get(e) + ": " + status.getCode() + " "
                                + status.getDescription(), (a, b) -> a + " | " + b);
                        again.add(e);
                    }
                } catch (InterruptedException | TimeoutException failure) {
                    answers.merge(e.requestId(), "state-service " + sentTo.get(e) + ": no answer within a minute", (a, b) -> a + " | " + b);
                    again.add(e);
                }
            });
            pending = again;
            if (!pending.isEmpty()) {
                Sleeps.sleep(Duration.ofSeconds(1));
            }
        }
        pending.forEach(e -> out.put(e.requestId(), new ResolvedUnit(Resolution.UNRESOLVED, null, answers.get(e.requestId()))));
        return out;
    }

    private static Map<String, RmwResult> storedResults(Connection c, Set<String> ids) throws SQLException {
        Map<String, RmwResult> out = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += 500) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + 500));
            String marks = String.join(",", chunk.stream().map(x -> "?").toList());
            try (PreparedStatement s = c.prepareStatement("SELECT request_id, result FROM rmw_request WHERE request_id IN (" + marks + ")")) {
                for (int j = 0; j < chunk.size(); j++) {
                    s.setString(j + 1, chunk.get(j));
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        try {
                            out.put(rs.getString(1), RmwResult.parseFrom(rs.getBytes(2)));
                        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            throw new SQLException("stored result of " + rs.getString(1) + " is no RmwResult", e);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** request id -> cell -> the versions its change events hold, for the history's ids; one scan (request_id is not indexed). */
    private static Map<String, Map<Long, List<Long>>> changeEvents(Connection c, Set<String> ids) throws SQLException {
        Map<String, Map<Long, List<Long>>> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT request_id, cell_id, cell_version FROM change_log")) {
            while (rs.next()) {
                String id = rs.getString(1);
                if (ids.contains(id)) {
                    out.computeIfAbsent(id, x -> new TreeMap<>()).computeIfAbsent(rs.getLong(2), x -> new ArrayList<>()).add(rs.getLong(3));
                }
            }
        }
        return out;
    }

    /**
     * Each entity's writes form one chain: no two stored units wrote the same version of it (two
     * writers that read the same version, one of them a lost update), and its row now holds what
     * the unit that wrote its newest version wrote (gold and amount; a row whose version is newer
     * was written by a unit outside the history, the setup).
     */
    private static void checkWrites(Connection c, Violations v, Map<String, RmwResult> stored) throws SQLException {
        Map<Long, Map<Long, String>> writers = new HashMap<>();
        Map<Long, Entity> newest = new HashMap<>();
        stored.forEach((id, result) -> {
            for (Entity e : result.getEntitiesList()) {
                String other = writers.computeIfAbsent(e.getId(), x -> new HashMap<>()).putIfAbsent(e.getVersion(), id);
                if (other != null) {
                    v.add(SAME_VERSION, "entity " + e.getId() + " version " + e.getVersion() + " by " + other + " and " + id);
                }
                newest.merge(e.getId(), e, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
            }
        });
        List<Long> ids = new ArrayList<>(newest.keySet());
        for (int i = 0; i < ids.size(); i += 500) {
            List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            String marks = String.join(",", chunk.stream().map(x -> "?").toList());
            try (PreparedStatement s = c.prepareStatement("SELECT id, version, gold, amount FROM entity WHERE id IN (" + marks + ")")) {
                for (int j = 0; j < chunk.size(); j++) {
                    s.setLong(j + 1, chunk.get(j));
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Entity written = newest.get(rs.getLong(1));
                        if (rs.getLong(2) == written.getVersion()
                                && (rs.getLong(3) != written.getGold() || rs.getLong(4) != written.getAmount())) {
                            v.add(ROW_DIFFERS, "entity " + written.getId() + " at version " + written.getVersion() + ": gold "
                                    + rs.getLong(3) + ", amount " + rs.getLong(4) + "; written gold " + written.getGold()
                                    + ", amount " + written.getAmount() + " by " + writers.get(written.getId()).get(written.getVersion()));
                        } else if (rs.getLong(2) < written.getVersion()) {
                            v.add(ROW_DIFFERS, "entity " + written.getId() + " at version " + rs.getLong(2) + ", yet "
                                    + writers.get(written.getId()).get(written.getVersion()) + " wrote version " + written.getVersion());
                        }
                    }
                }
            }
        }
    }

    /** SUM(gold) and SUM(amount) over every entity: what the game mix and trades conserve. */
    public static History.Totals totals(BareStore store) throws SQLException {
        try (Connection c = store.connect()) {
            long[] t = totals(c);
            c.commit();
            return new History.Totals(t[0], t[1]);
        }
    }

    private static long[] totals(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(gold), 0), COALESCE(SUM(amount), 0) FROM entity")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Counters, aggregates and change log against the base rows (the invariants state-service's tests hold it to). */
    private static void recount(Connection c, Violations v) throws SQLException {
        rows(c, v, COUNTERS, "SELECT c.id, c.num_entities, (SELECT COUNT(*) FROM entity e WHERE e.cell_id = c.id) FROM cell c"
                + " WHERE c.num_entities <> (SELECT COUNT(*) FROM entity e WHERE e.cell_id = c.id)");
        rows(c, v, AGGREGATES, "SELECT a.cell_id, a.layer, a.kind FROM cell_aggregate a WHERE"
                + " a.entity_count <> (SELECT COUNT(*) FROM entity e WHERE e.cell_id = a.cell_id AND e.kind = a.kind)"
                + " OR a.amount_total <> (SELECT COALESCE(SUM(e.amount), 0) FROM entity e WHERE e.cell_id = a.cell_id AND e.kind = a.kind)"
                + " OR a.hp_total <> (SELECT COALESCE(SUM(e.hp), 0) FROM entity e WHERE e.cell_id = a.cell_id AND e.kind = a.kind)");
        rows(c, v, CHANGE_LOG_GAP, "SELECT c.id, c.version, (SELECT COUNT(*) FROM change_log l WHERE l.cell_id = c.id) FROM cell c"
                + " WHERE c.version <> (SELECT COUNT(*) FROM change_log l WHERE l.cell_id = c.id)"
                + " OR c.version <> (SELECT COALESCE(MAX(l.cell_version), 0) FROM change_log l WHERE l.cell_id = c.id)");
        rows(c, v, OWNERS, "SELECT e.id, e.owner_id FROM entity e WHERE e.parent_id IS NOT NULL AND e.owner_id <>"
                + " (SELECT p.owner_id FROM entity p WHERE p.id = e.parent_id)");
    }

    private static void rows(Connection c, Violations v, String violation, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                v.add(violation, String.join(" ", row));
            }
        }
    }

    /** Units answered OK per second of the run (epoch second of the answer). */
    static Map<Long, Integer> okPerSecond(List<Entry> entries) {
        Map<Long, Integer> out = new TreeMap<>();
        for (Entry e : entries) {
            if (e.outcome() == Outcome.OK) {
                out.merge(e.endMillis() / 1000, 1, Integer::sum);
            }
        }
        return out;
    }

    /**
     * Throughput before (the 10 s before the fault, not the run's first second), during, the first
     * OK of a unit sent after the fault began, and the first second from which {@value #FULL_SECONDS}
     * seconds in a row reach {@value #FULL_SHARE} of the throughput before.
     */
    static FaultTiming timing(Fault f, List<Entry> entries) {
        long loadStart = entries.stream().mapToLong(Entry::startMillis).min().orElse(f.startMillis()) + 1000;
        long loadEnd = entries.stream().mapToLong(Entry::endMillis).max().orElse(f.endMillis());
        long beforeFrom = Math.max(loadStart, f.startMillis() - 10_000);
        double before = okRate(entries, beforeFrom, f.startMillis());
        double during = okRate(entries, f.startMillis(), Math.max(f.endMillis(), f.startMillis() + 1));
        Long firstOk = entries.stream().filter(e -> e.outcome() == Outcome.OK && e.startMillis() >= f.startMillis())
                .map(e -> e.endMillis() - f.startMillis()).min(Long::compare).orElse(null);
        Long full = null;
        for (long from = f.startMillis(); from + 1000 <= loadEnd && full == null; from += 1000) {
            boolean all = true;
            int seconds = 0;
            for (long s = from; s + 1000 <= loadEnd && seconds < FULL_SECONDS; s += 1000, seconds++) {
                all &= okRate(entries, s, s + 1000) >= FULL_SHARE * before;
            }
            if (all && seconds > 0) {
                full = from - f.startMillis();
            }
        }
        return new FaultTiming(f.name(), f.startMillis(), f.endMillis() - f.startMillis(), before, during, firstOk, full);
    }

    private static double okRate(List<Entry> entries, long fromMillis, long toMillis) {
        if (toMillis <= fromMillis) {
            return 0;
        }
        long ok = entries.stream().filter(e -> e.outcome() == Outcome.OK && e.endMillis() >= fromMillis && e.endMillis() < toMillis).count();
        return ok * 1000.0 / (toMillis - fromMillis);
    }

    /** Violations counted by name, the first ten examples of each kept. */
    private record Violations(Map<String, Integer> counts, Map<String, List<String>> examples) {
        void add(String violation, String example) {
            counts.merge(violation, 1, Integer::sum);
            List<String> kept = examples.computeIfAbsent(violation, x -> new ArrayList<>());
            if (kept.size() < 10) {
                kept.add(example);
            }
        }
    }
}
