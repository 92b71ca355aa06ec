package io.gamestate.query.service;

import io.gamestate.cdc.CaptureSettings;
import io.gamestate.cdc.CapturedChange;
import io.gamestate.cdc.ChangeCapture;
import io.gamestate.cdc.ChangeSink;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.query.config.QueryConfig;
import io.gamestate.query.repository.ChangeLogRepository;
import io.gamestate.store.StoreConfig;
import io.gamestate.store.StoreFamily;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The store's own log, read once per service and fanned out to the watches by superblock (with
 * {@code gamestate.query.watch-source=log}). The capture starts at the head of the log on a
 * temporary slot (PostgreSQL) or at the binlog's current position (MariaDB), leaving nothing
 * behind in the store: a watch's resume point is its cells' versions, and the change log is
 * where it catches up, so after a reconnect every watch catches up from the change log once.
 */
@ApplicationScoped
public class LogChangeFeed {

    /** A watch's end of the feed; called on the capture's thread. */
    public interface Listener {
        void changes(List<ChangeEvent> events);

        /** The feed may have missed changes (it reconnected): read the change log. */
        void catchUp();
    }

    private final QueryConfig.Query config;
    private final CaptureSettings settings;
    private final Map<Integer, Set<Listener>> bySuperblock = new ConcurrentHashMap<>();
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private volatile ChangeCapture capture;

    public LogChangeFeed(QueryConfig config, StoreConfig store, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password, MeterRegistry registry) {
        this.config = config.query();
        StoreFamily family = StoreFamily.ofDbKind(dbKind);
        // One consumer per service instance: its own temporary slot, its own replica server id.
        String consumer = "gamestate_watch_" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        this.settings = new CaptureSettings(family == StoreFamily.MYSQL ? CaptureSettings.Log.BINLOG
                : CaptureSettings.Log.LOGICAL_DECODING, store.host(), store.port().orElse(family == StoreFamily.MYSQL ? 3306 : 5432),
                store.name(), user, password.orElse(""), consumer, false, Optional.empty());
        Gauge.builder("gamestate.query.watch.capture.connected", this, f -> f.connected() ? 1 : 0)
                .description("1 while watch-source=log reads the store's log").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        if (config.watchSource() == QueryConfig.WatchSource.LOG) {
            capture = ChangeCapture.of(settings);
            capture.start(new Sink());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (capture != null) {
            capture.close();
        }
    }

    public boolean enabled() {
        return config.watchSource() == QueryConfig.WatchSource.LOG;
    }

    public boolean connected() {
        ChangeCapture c = capture;
        return c != null && c.isConnected();
    }

    /** Feeds the listener the changes of the superblocks from now on; the returned action unsubscribes. */
    public Runnable subscribe(List<Integer> superblocks, Listener listener) {
        listeners.add(listener);
        superblocks.forEach(sb -> bySuperblock.computeIfAbsent(sb, k -> ConcurrentHashMap.newKeySet()).add(listener));
        return () -> {
            listeners.remove(listener);
            superblocks.forEach(sb -> bySuperblock.getOrDefault(sb, Set.of()).remove(listener));
        };
    }

    private final class Sink implements ChangeSink {
        @Override
        public CompletionStage<Void> committed(List<CapturedChange> changes) {
            Map<Integer, List<ChangeEvent>> events = new HashMap<>();
            for (CapturedChange c : changes) {
                if (!bySuperblock.getOrDefault(c.superblockId(), Set.of()).isEmpty()) {
                    events.computeIfAbsent(c.superblockId(), k -> new ArrayList<>()).add(ChangeLogRepository.event(c.cellId(),
                            c.cellVersion(), c.payload()));
                }
            }
            events.forEach((sb, list) -> bySuperblock.getOrDefault(sb, Set.of()).forEach(l -> l.changes(list)));
            return TAKEN;
        }

        @Override
        public void connected() {
            listeners.forEach(Listener::catchUp);
        }
    }
}
