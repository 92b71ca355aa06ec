package io.gamestate.devstack;

import java.time.Duration;

/** Pauses of the load and fault commands, which nothing interrupts but a command's end. */
public final class Sleeps {

    private Sleeps() {
    }

    /** Sleeps; an interrupt ends the command (the flag stays set for whoever catches it). */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping " + duration, e);
        }
    }
}
