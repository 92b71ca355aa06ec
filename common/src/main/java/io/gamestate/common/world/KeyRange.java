package io.gamestate.common.world;

/** An inclusive range of Morton keys: one index range scan. */
public record KeyRange(long lo, long hi) {
}
