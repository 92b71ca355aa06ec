package io.gamestate.gls.game;

import io.gamestate.gls.config.GlsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is playing: a session token bound to one avatar, with the avatar's last accepted position
 * and time (for the speed check) and the session's limits. A session can only act for its own
 * avatar.
 */
@ApplicationScoped
public class PlayerSessions {

    /** One player's connection to the game. Position and time change only through {@link #moved}. */
    public static final class Session {
        final String token;
        final long playerId;
        final RateLimiter rate;
        final AtomicInteger inFlight = new AtomicInteger();
        double x;
        double y;
        long movedAtNanos;

        Session(String token, long playerId, double x, double y, RateLimiter rate) {
            this.token = token;
            this.playerId = playerId;
            this.rate = rate;
            this.x = x;
            this.y = y;
            this.movedAtNanos = System.nanoTime();
        }

        public String token() {
            return token;
        }

        public long playerId() {
            return playerId;
        }

        public synchronized double x() {
            return x;
        }

        public synchronized double y() {
            return y;
        }

        synchronized double secondsSinceMove(long now) {
            return (now - movedAtNanos) / 1e9;
        }

        synchronized void moved(double toX, double toY, long now) {
            x = toX;
            y = toY;
            movedAtNanos = now;
        }

        /**
         * Admits one more request of this session, or refuses it before it costs anything: beyond
         * {@code maxInFlight} requests under way, or beyond the session's rate. An admitted request
         * must be {@link #finished}.
         */
        void admit(int maxInFlight) {
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                throw new GameRefusal(GameRefusal.Reason.TOO_MANY,
                        maxInFlight + " requests of this session are under way already: wait for their answers");
            }
            try {
                rate.acquire();
            } catch (GameRefusal tooFast) {
                inFlight.decrementAndGet();
                throw tooFast;
            }
        }

        void finished() {
            inFlight.decrementAndGet();
        }
    }

    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Map<Long, Session> byPlayer = new ConcurrentHashMap<>();
    private final GlsConfig config;

    public PlayerSessions(GlsConfig config) {
        this.config = config;
    }

    Session open(long playerId, double x, double y) {
        Session s = new Session(UUID.randomUUID().toString(), playerId, x, y, new RateLimiter(config.actionsPerSecond()));
        byToken.put(s.token, s);
        byPlayer.put(playerId, s);
        return s;
    }

    /** The session of the token, which must be the avatar's own. */
    public Session require(String token, long playerId) {
        Session s = token == null ? null : byToken.get(token);
        if (s == null) {
            throw new GameRefusal(GameRefusal.Reason.FORBIDDEN, "no session for this token: join first");
        }
        if (s.playerId != playerId) {
            throw new GameRefusal(GameRefusal.Reason.FORBIDDEN,
                    "this session plays avatar " + s.playerId + ", not " + playerId);
        }
        return s;
    }

    /** The session playing this avatar on this GLS, if any. */
    Optional<Session> of(long playerId) {
        return Optional.ofNullable(byPlayer.get(playerId));
    }

    void close(Session s) {
        byToken.remove(s.token);
        byPlayer.remove(s.playerId, s);
    }

    public int count() {
        return byToken.size();
    }
}
