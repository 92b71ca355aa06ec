package io.gamestate.gatling;

import io.gatling.javaapi.core.Session;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Players joined in a setup phase, fed round-robin to virtual users that act for them: each record
 * carries {@code playerId}, {@code token} and the home {@code x}, {@code y}.
 */
final class JoinedPlayers {

    private final List<Map<String, Object>> players = new CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();

    /** Keeps the player a virtual user just joined (its session holds playerId and token). */
    Session add(Session session) {
        if (session.contains("playerId")) {
            players.add(Map.of("playerId", session.getLong("playerId"), "token", session.getString("token"),
                    "x", session.getDouble("x"), "y", session.getDouble("y")));
        }
        return session;
    }

    int size() {
        return players.size();
    }

    /** Endless: the joined players over and over; read only after the setup phase has joined them. */
    Iterator<Map<String, Object>> feeder() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                if (players.isEmpty()) {
                    throw new IllegalStateException("no player joined in the setup phase: is the GLS up?");
                }
                return players.get((int) (next.getAndIncrement() % players.size()));
            }
        };
    }
}
