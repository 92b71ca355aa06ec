package io.gamestate.devstack.scorecard;

import io.gamestate.common.servers.LocalPostgres;
import io.gamestate.devstack.faults.CheckCommand;
import io.gamestate.devstack.faults.Checker;
import io.gamestate.devstack.faults.FaultLoad;
import io.gamestate.devstack.faults.History;
import io.gamestate.devstack.faults.RecordingClient;
import io.gamestate.devstack.transfers.BareStore;
import io.gamestate.proto.state.v1.StateService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The failover drill on a primary with a streaming standby (devstack pg-replica): under the fault
 * load (the game mix, contended trades and item moves: {@link FaultLoad}) the primary is first
 * frozen for a few seconds (SIGSTOP, SIGCONT), then its postmaster and backends get SIGKILL, the
 * standby is promoted ({@code pg_ctl promote}) after a detection delay, and state-service, not
 * restarted, must find the new primary by itself
 * ({@code gamestate.db.standbys}). The client's history then goes to the {@link Checker} on the
 * promoted node: with synchronous replication no acknowledged unit may be missing. Findings per
 * fault: time to the first OK and to full throughput, OK/s before and during the fault. Leaves
 * the standby as the only node, so it runs last, and only with a standby.
 */
final class Failover implements Scenario {

    static final String PAUSE = "pause-primary";
    static final String KILL = "kill-primary";
    /** Hot players of the contended trades and item moves, and items each. */
    static final int HOT_PLAYERS = 16;
    static final int ITEMS_PER_HOT_PLAYER = 4;
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    private final StateService state;
    private final String stateEndpoint;
    private final BareStore standby;
    private final int players;
    private final int inFlight;
    private final int batchSize;
    private final Timeline timeline;

    /**
     * @param before       load before each fault
     * @param pause        how long the primary stays frozen (SIGSTOP, then SIGCONT)
     * @param promoteAfter from the kill to {@code pg_ctl promote}: a failover manager's detection time
     * @param window       each fault's window from its start, over which throughput during the fault is taken
     * @param after        load after the last fault's window
     */
    record Timeline(Duration before, Duration pause, Duration promoteAfter, Duration window, Duration after) {
    }

    Failover(StateService state, String stateEndpoint, BareStore standby, int players, int inFlight, int batchSize,
             Timeline timeline) {
        this.state = state;
        this.stateEndpoint = stateEndpoint;
        this.standby = standby;
        this.players = players;
        this.inFlight = inFlight;
        this.batchSize = batchSize;
        this.timeline = timeline;
    }

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public String title() {
        return "Failover: the primary paused, then SIGKILLed under the fault load, the standby promoted, state-service follows "
                + "without a restart; checked from the store and the client's history";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("load", "half game mix, a quarter trades of 1 gold between " + HOT_PLAYERS + " hot players, a quarter moves of their "
                + HOT_PLAYERS * ITEMS_PER_HOT_PLAYER + " items; one call in four an ApplyBatch");
        p.put("players", players);
        p.put("inFlight", inFlight);
        p.put("batchSize", batchSize);
        p.put("standby", standby.host() + ":" + standby.port());
        p.put("faults", PAUSE + " (SIGSTOP, SIGCONT), then " + KILL + " (SIGKILL, the standby promoted)");
        p.put("beforeSeconds", timeline.before().toMillis() / 1000.0);
        p.put("pauseSeconds", timeline.pause().toMillis() / 1000.0);
        p.put("promoteAfterSeconds", timeline.promoteAfter().toMillis() / 1000.0);
        p.put("windowSeconds", timeline.window().toMillis() / 1000.0);
        p.put("afterSeconds", timeline.after().toMillis() / 1000.0);
        p.put("callDeadlineSeconds", CALL_DEADLINE.toMillis() / 1000.0);
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        BareStore primaryStore = context.store();
        LocalPostgres primary = LocalPostgres.existing(new StoreProbe(primaryStore).dataDirectory(), primaryStore.port());
        LocalPostgres promoted = LocalPostgres.existing(new StoreProbe(standby).dataDirectory(), standby.port());
        FaultLoad load = FaultLoad.spawn(state, players, HOT_PLAYERS, ITEMS_PER_HOT_PLAYER);
        Path historyFile = context.directory().resolve(name() + "-history.tsv");

        long loadStart = System.currentTimeMillis();
        try (History history = new History(historyFile);
             RecordingClient client = new RecordingClient(List.of(stateEndpoint), CALL_DEADLINE, history)) {
            history.totals(Checker.totals(primaryStore));
            long end = System.nanoTime() + timeline.before().multipliedBy(2).plus(timeline.window().multipliedBy(2))
                    .plus(timeline.after()).toNanos();
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> load.run(client, inFlight, batchSize, end));

            // Each fault starts when its signal has reached every process: units sent while it was on its
            // way could still be answered (by 30 ms, in one run), and would read as a recovery.
            pause(timeline.before());
            primary.pause();
            long pausedAt = System.currentTimeMillis();
            pause(timeline.pause());
            primary.resume();
            history.fault(new History.Fault(PAUSE, pausedAt, windowEnd(pausedAt)));

            pause(timeline.before());
            primary.kill();
            long killedAt = System.currentTimeMillis();
            pause(timeline.promoteAfter());
            promoted.promote();
            long promotedAfter = System.currentTimeMillis() - killedAt;
            System.out.printf("    primary paused %d ms; killed, standby promoted %d ms later (pg_ctl promote took %d ms)%n",
                    timeline.pause().toMillis(), promotedAfter, promotedAfter - timeline.promoteAfter().toMillis());
            history.fault(new History.Fault(KILL, killedAt, windowEnd(killedAt)));
            running.get(timeline.after().plusMinutes(3).toMillis(), TimeUnit.MILLISECONDS);
            history.close();

            Checker.Report report = new Checker(standby, client.services()).check(History.read(historyFile));
            CheckCommand.print(report);
            return outcome(context, History.read(historyFile), report, loadStart, promotedAfter);
        }
    }

    /** Waits until the fault's window from its start is over (or now, when undoing it took longer); its end. */
    private long windowEnd(long startMillis) throws InterruptedException {
        pause(Duration.ofMillis(Math.max(0, startMillis + timeline.window().toMillis() - System.currentTimeMillis())));
        return System.currentTimeMillis();
    }

    /**
     * The whole run as one row (its per-second series shows the dip), the checker's figures as
     * findings and checks. Until the promotion begins there is no primary, so an OK before it would
     * come from a server that should be dead.
     */
    private Outcome outcome(ScenarioContext context, History.Recorded history, Checker.Report report, long loadStart,
                            long promotedAfterMillis) throws Exception {
        Map<String, Double> findings = FaultOutcome.findings(report);
        findings.put(KILL + ".promotedAfterMs", (double) promotedAfterMillis);
        Long firstOk = report.faults().stream().filter(t -> t.fault().equals(KILL)).findFirst().map(Checker.FaultTiming::firstOkMillis)
                .orElse(null);
        long promotionBegan = timeline.promoteAfter().toMillis();
        List<ScenarioReport.Check> checks = List.of(FaultOutcome.verdict(report),
                new ScenarioReport.Check("state-service reached the promoted standby without a restart, nothing acknowledged before "
                        + "the promotion began", firstOk != null && firstOk >= promotionBegan,
                        (firstOk != null ? "first OK " + firstOk + " ms after the kill" : "no OK after the kill")
                                + ", promotion began " + promotionBegan + " ms after it"));
        return new Outcome(List.of(FaultOutcome.loadRow(context, history, loadStart, Map.of("faults", PAUSE + "," + KILL))),
                findings, checks);
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
