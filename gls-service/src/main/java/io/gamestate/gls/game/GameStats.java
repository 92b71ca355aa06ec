package io.gamestate.gls.game;

import io.gamestate.gls.client.Downstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Actions by source (player, npc) and outcome (applied, refused, unavailable), also as Prometheus counters. */
@ApplicationScoped
public class GameStats {

    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GameStats(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public void applied(String source) {
        count(source, "applied");
    }

    public void failed(String source, Throwable failure) {
        boolean refused = failure instanceof GameRefusal || failure instanceof Downstream.Refused;
        count(source, refused ? "refused" : "unavailable");
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((key, counter) -> out.put(key, (long) counter.count()));
        return out;
    }

    private void count(String source, String outcome) {
        counters.computeIfAbsent(source + "." + outcome,
                k -> metrics.counter("gls.actions", "source", source, "outcome", outcome)).increment();
    }
}
