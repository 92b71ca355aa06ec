package io.gamestate.gatling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What counts as a failure (KO). The GLS answers a refused action with an error code; some refusals
 * are the game working as intended and are OK for Gatling, everything else is KO:
 * <ul>
 * <li>{@code not_allowed}: the GLS's own refusal (target out of reach, a move faster than running, too
 * many open offers);
 * <li>{@code failed_precondition}: a game rule of state-service (a dead attacker or target, not enough
 * gold, an item no longer held, an exhausted node);
 * <li>{@code not_found}: the target left the game between the look and the action; an offer expired,
 * or its offerer left, before its acceptance.
 * </ul>
 * KO are server errors ({@code internal}, {@code unavailable}), conflicts that outlived the store's
 * retries ({@code aborted}), and refusals that mean a broken client ({@code bad_request},
 * {@code forbidden}, {@code too_many}), as well as a missing or malformed reply.
 * Every answer is also counted per action and code, so a run shows how often the game said no.
 */
final class ActionOutcomes {

    static final String OK = "ok";
    /** Refusals an action on another entity may legitimately get: it moved, left, died or ran dry. */
    static final List<String> TARGET_REFUSALS = List.of("not_allowed", "failed_precondition", "not_found");
    /** An offer: the other player moved away or left, or this player has too many offers open. */
    static final List<String> OFFER_REFUSALS = List.of("not_allowed", "not_found");
    /** An acceptance: the offer expired or its offerer left or moved away, or one of them lacks the gold or items. */
    static final List<String> ACCEPT_REFUSALS = TARGET_REFUSALS;
    /** A move is paced under the speed limit, so only an avatar killed by another player is refused. */
    static final List<String> MOVE_REFUSALS = List.of("failed_precondition");
    static final List<String> NO_REFUSALS = List.of();

    private static final Map<String, LongAdder> ANSWERS = new ConcurrentSkipListMap<>();

    private ActionOutcomes() {
    }

    /** The answers accepted as OK: success plus the given refusals. */
    static List<String> accepted(List<String> refusals) {
        List<String> accepted = new ArrayList<>(refusals);
        accepted.add(OK);
        return accepted;
    }

    /** Counts an answer of the action and passes it on (used as a check transform). */
    static Function<String, String> counted(String action) {
        return answer -> {
            ANSWERS.computeIfAbsent(action + " " + answer, k -> new LongAdder()).increment();
            return answer;
        };
    }

    /** One line per action and answer, e.g. {@code harvest not_allowed: 12}. */
    static String summary() {
        StringBuilder out = new StringBuilder();
        ANSWERS.forEach((key, count) -> out.append(String.format("  %-32s %8d%n", key, count.sum())));
        return out.toString();
    }
}
