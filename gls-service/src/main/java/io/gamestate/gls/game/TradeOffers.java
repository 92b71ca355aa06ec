package io.gamestate.gls.game;

import io.gamestate.gls.config.GlsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The open trade offers, in the GLS's memory beside the sessions. An offer is pending until its
 * expiry; the player it is addressed to claims it to accept it, and once state-service applied it
 * the offer is kept one more {@code gls.trade.offer-ttl} as accepted, so that a re-sent acceptance
 * sends the same unit again (same request id) and gets state-service's stored answer instead of a
 * second trade. A claim whose outcome is unknown (state-service did not answer) holds the offer
 * the same way: it can no longer be cancelled, only accepted again to learn the outcome.
 */
@ApplicationScoped
public class TradeOffers {

    private enum State { PENDING, ACCEPTING, ACCEPTED }

    private static final class Entry {
        final TradeOffer offer;
        State state = State.PENDING;
        Instant keepUntil;

        Entry(TradeOffer offer) {
            this.offer = offer;
            this.keepUntil = offer.expiresAt();
        }
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final Duration ttl;
    private final int maxOpen;
    private final Vertx vertx;
    private long sweeper = -1;

    public TradeOffers(GlsConfig config, Vertx vertx) {
        this.ttl = config.trade().offerTtl();
        this.maxOpen = config.trade().maxOpenOffers();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        sweeper = vertx.setPeriodic(1000, id -> sweep());
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /** A new pending offer, unless the offerer has {@code gls.trade.max-open-offers} pending already. */
    synchronized TradeOffer open(long fromId, long toId, long give, long take, List<Long> items, List<Long> takeItems) {
        Instant now = Instant.now();
        long open = byId.values().stream().filter(e -> e.offer.fromId() == fromId && pending(e, now)).count();
        if (open >= maxOpen) {
            throw new GameRefusal(GameRefusal.Reason.NOT_ALLOWED,
                    "already " + open + " open offers: wait for an answer or cancel one");
        }
        TradeOffer offer = new TradeOffer(UUID.randomUUID().toString(), fromId, toId, give, take, List.copyOf(items),
                List.copyOf(takeItems), now.plus(ttl));
        byId.put(offer.id(), new Entry(offer));
        return offer;
    }

    /**
     * Claims the offer for its acceptance by {@code playerId}, who must be the player it was made to:
     * a pending offer before its expiry, or one this player accepted already (to replay it).
     */
    synchronized TradeOffer claim(String offerId, long playerId) {
        Entry e = byId.get(offerId);
        Instant now = Instant.now();
        if (e == null || (e.state == State.PENDING && !pending(e, now))) {
            throw new GameRefusal(GameRefusal.Reason.NOT_FOUND, "no open offer " + offerId + ": it expired, was cancelled or never was");
        }
        if (e.offer.toId() != playerId) {
            throw new GameRefusal(GameRefusal.Reason.FORBIDDEN, e.offer.fromId() == playerId
                    ? "a player cannot accept its own offer" : "offer " + offerId + " is not addressed to player " + playerId);
        }
        if (e.state == State.PENDING) {
            e.state = State.ACCEPTING;
            e.keepUntil = now.plus(ttl);
        }
        return e.offer;
    }

    /** state-service applied it: kept a while for re-sent acceptances. */
    synchronized void accepted(String offerId) {
        Entry e = byId.get(offerId);
        if (e != null) {
            e.state = State.ACCEPTED;
            e.keepUntil = Instant.now().plus(ttl);
        }
    }

    /** The acceptance was refused (nothing was written): the offer is pending again until its expiry. */
    synchronized void refused(String offerId) {
        Entry e = byId.get(offerId);
        if (e != null && e.state == State.ACCEPTING) {
            e.state = State.PENDING;
            e.keepUntil = e.offer.expiresAt();
        }
    }

    /** Withdrawn by its offerer or declined by the player it was made to, while it is pending. */
    synchronized TradeOffer cancel(String offerId, long playerId) {
        Entry e = byId.get(offerId);
        if (e == null || (e.state == State.PENDING && !pending(e, Instant.now()))) {
            throw new GameRefusal(GameRefusal.Reason.NOT_FOUND, "no open offer " + offerId);
        }
        if (e.offer.fromId() != playerId && e.offer.toId() != playerId) {
            throw new GameRefusal(GameRefusal.Reason.FORBIDDEN, "offer " + offerId + " is not player " + playerId + "'s");
        }
        if (e.state != State.PENDING) {
            throw new GameRefusal(GameRefusal.Reason.NOT_ALLOWED, "offer " + offerId + " is accepted already");
        }
        byId.remove(offerId);
        return e.offer;
    }

    /** The pending offers made by or to the player. */
    synchronized List<TradeOffer> of(long playerId) {
        Instant now = Instant.now();
        return byId.values().stream().filter(e -> pending(e, now))
                .filter(e -> e.offer.fromId() == playerId || e.offer.toId() == playerId)
                .map(e -> e.offer).toList();
    }

    /** A player left: the offers it made or was made die (accepted ones stay, to answer re-sent acceptances). */
    synchronized void dropPending(long playerId) {
        byId.values().removeIf(e -> e.state == State.PENDING
                && (e.offer.fromId() == playerId || e.offer.toId() == playerId));
    }

    private synchronized void sweep() {
        Instant now = Instant.now();
        for (Iterator<Entry> i = byId.values().iterator(); i.hasNext(); ) {
            if (!i.next().keepUntil.isAfter(now)) {
                i.remove();
            }
        }
    }

    private static boolean pending(Entry e, Instant now) {
        return e.state == State.PENDING && e.offer.expiresAt().isAfter(now);
    }
}
