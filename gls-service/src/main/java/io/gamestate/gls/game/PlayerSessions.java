package io.gamestate.gls.game;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is playing: a session token bound to one avatar, with the avatar's last accepted position
 * and time (for the speed check). A session can only act for its own avatar.
 */
@ApplicationScoped
public class PlayerSessions {

    /** One player's connection to the game. Position and time change only through {@link #moved}. */
    public static final class Session {
        final String token;
        final long playerId;
        double x;
        double y;
        long movedAtNanos;

        Session(String token, long playerId, double x, double y) {
            this.token = token;
            this.playerId = playerId;
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
    }

    private final Map<String, Session> byToken = new ConcurrentHashMap<>();

    Session open(long playerId, double x, double y) {
        Session s = new Session(UUID.randomUUID().toString(), playerId, x, y);
        byToken.put(s.token, s);
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

    void close(Session s) {
        byToken.remove(s.token);
    }

    public int count() {
        return byToken.size();
    }
}
