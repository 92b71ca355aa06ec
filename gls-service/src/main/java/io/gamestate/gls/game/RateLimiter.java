package io.gamestate.gls.game;

/**
 * A token bucket per session: a player may send {@code perSecond} requests a second on average and
 * burst to twice that; a flood beyond it is refused before it reaches the store.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos = System.nanoTime();

    public RateLimiter(double perSecond) {
        this.perSecond = perSecond;
        this.capacity = 2 * perSecond;
        this.tokens = capacity;
    }

    public synchronized void acquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
        if (tokens < 1) {
            throw new GameRefusal(GameRefusal.Reason.TOO_MANY,
                    "more than " + (int) perSecond + " requests a second: slow down");
        }
        tokens -= 1;
    }
}
