package io.gamestate.gatling;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context ({@code traceparent}: {@code 00-<32 hex trace id>-<16 hex span id>-01}), fresh
 * random ids for every action, so each player action starts a trace of its own in the GLS.
 */
final class TraceParent {

    private static final HexFormat HEX = HexFormat.of();

    private TraceParent() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long traceHigh;
        long traceLow;
        long span;
        // All-zero ids are invalid in W3C trace context; a receiver would drop the header.
        do {
            traceHigh = random.nextLong();
            traceLow = random.nextLong();
        } while (traceHigh == 0 && traceLow == 0);
        do {
            span = random.nextLong();
        } while (span == 0);
        return "00-" + HEX.toHexDigits(traceHigh) + HEX.toHexDigits(traceLow) + "-" + HEX.toHexDigits(span) + "-01";
    }
}
