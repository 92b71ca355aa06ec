package io.gamestate.devstack.scorecard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.devstack.GameWorld;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/** Players of the GLS over its HTTP API, as a client plays them: join, act at a player's pace, leave. */
final class GlsPlayers {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far scattered players stay from the world's edges. */
    private static final double EDGE = 200;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A joined player: where it joined is its home. */
    record Player(String gls, long id, String token, double x, double y) {
    }

    Player join(String gls, double x, double y) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(gls + "/players", String.format(Locale.ROOT, "{\"x\":%s,\"y\":%s}", x, y), null),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("joining " + gls + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode joined = JSON.readTree(response.body());
        return new Player(gls, joined.path("playerId").asLong(), joined.path("token").asText(), x, y);
    }

    /** Players joined in turn on each GLS, at seeded random points away from the world's edges: no hotspot. */
    List<Player> joinScattered(List<String> glsUrls, int count, long seed) throws IOException, InterruptedException {
        Random random = new Random(seed);
        double span = GameWorld.SIZE - 2 * EDGE;
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            players.add(join(glsUrls.get(i % glsUrls.size()), EDGE + random.nextDouble() * span, EDGE + random.nextDouble() * span));
        }
        return players;
    }

    /** One action, recorded with its HTTP status as the answer; onOk gets the answer's body. */
    Uni<Integer> act(Player player, String action, WindowRecorder recorder, Consumer<JsonNode> onOk) {
        long t0 = System.nanoTime();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request(player.gls() + "/players/" + player.id() + "/actions",
                        action, player.token()), HttpResponse.BodyHandlers.ofString()))
                .onItemOrFailure().invoke((response, failure) -> {
                    recorder.call(t0, 1);
                    if (failure != null) {
                        recorder.error(t0, failure.getClass().getSimpleName());
                    } else if (response.statusCode() != 200) {
                        recorder.error(t0, "HTTP_" + response.statusCode());
                    } else {
                        try {
                            onOk.accept(JSON.readTree(response.body()));
                        } catch (IOException e) {
                            recorder.error(t0, "BAD_BODY");
                        }
                    }
                }).map(response -> 1).onFailure().recoverWithItem(1);
    }

    /** A move to a random point within half a unit of home: legal at any pace (GLS speed check). */
    static String moveNearHome(Player player) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format(Locale.ROOT, "{\"type\":\"move\",\"x\":%s,\"y\":%s}", player.x() + random.nextDouble(0.5),
                player.y() + random.nextDouble(0.5));
    }

    /** Every player moves near its home, at most once per pace, for {@code length}; each move recorded. */
    void moveAround(List<Player> players, Duration pace, Duration length, WindowRecorder recorder) {
        long end = System.nanoTime() + length.toNanos();
        play(players, pace, () -> System.nanoTime() < end, length.plusMinutes(2),
                player -> act(player, moveNearHome(player), recorder, answer -> { }));
    }

    void leave(List<Player> players) throws IOException, InterruptedException {
        for (Player player : players) {
            http.send(HttpRequest.newBuilder(URI.create(player.gls() + "/players/" + player.id())).header("X-Session", player.token())
                    .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    /**
     * Every player plays its turn again and again while {@code playing}, one turn at a time and at
     * most one turn per pace: a client that waits for its answer. Waits at most {@code timeout} in all.
     */
    static void play(List<Player> players, Duration pace, BooleanSupplier playing, Duration timeout, Function<Player, Uni<?>> turn) {
        List<Multi<Object>> loops = new ArrayList<>();
        for (Player player : players) {
            loops.add(Multi.createBy().repeating().uni(() -> {
                long started = System.nanoTime();
                return turn.apply(player).onItem().transformToUni(done -> {
                    long rest = pace.toNanos() - (System.nanoTime() - started);
                    Uni<Object> next = Uni.createFrom().item(done);
                    return rest > 0 ? next.onItem().delayIt().by(Duration.ofNanos(rest)) : next;
                });
            }).whilst(ignored -> playing.getAsBoolean()));
        }
        Multi.createBy().merging().streams(loops).collect().last().await().atMost(timeout);
    }

    private static HttpRequest request(String url, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return (token == null ? request : request.header("X-Session", token)).build();
    }
}
