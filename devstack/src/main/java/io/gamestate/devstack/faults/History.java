package io.gamestate.devstack.faults;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The client's record of what it was told, Jepsen-style: for every unit it sent, when, the unit
 * itself (so an unknown outcome can be re-sent under its request id), what came back (ok with the
 * result, a definite failure, or unknown) and the faults injected meanwhile. One line per event,
 * tab-separated, appended as answers arrive; the checker reads it back.
 *
 * <pre>
 * unit  startMillis  endMillis  outcome  code[: description]  requestId  unit(base64)  result(base64 or -)
 * fault name  startMillis  endMillis
 * totals gold  amount
 * </pre>
 */
public final class History implements AutoCloseable {

    /** What the client learned about a unit. */
    public enum Outcome {
        /** Answered with code 0: the unit committed, its result is the one stored. */
        OK,
        /** A definite refusal: nothing of the unit may be in the store. */
        FAILED,
        /** No answer the client can trust (unreachable, deadline, connection lost): applied once or not at all. */
        UNKNOWN;

        /**
         * UNAVAILABLE and DEADLINE_EXCEEDED may come after a COMMIT reached the store; so may any
         * answer the service never meant to give (INTERNAL, UNKNOWN, CANCELLED). The rest are
         * the service's promise that nothing was written.
         */
        public static Outcome ofFailure(Status.Code code) {
            return switch (code) {
                case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE, ABORTED, RESOURCE_EXHAUSTED,
                        PERMISSION_DENIED, UNAUTHENTICATED, UNIMPLEMENTED -> FAILED;
                default -> UNKNOWN;
            };
        }
    }

    /** One unit as the client saw it; result is null unless OK. */
    public record Entry(long startMillis, long endMillis, Outcome outcome, String code, RmwUnit unit, RmwResult result) {
        public String requestId() {
            return unit.getRequestId();
        }

        /** The answer's status code name alone, without its description. */
        public String statusCode() {
            int colon = code.indexOf(':');
            return colon < 0 ? code : code.substring(0, colon);
        }
    }

    /** A fault injected from start to end (epoch milliseconds): the nemesis's own record. */
    public record Fault(String name, long startMillis, long endMillis) {
    }

    /** SUM(gold) and SUM(amount) over every entity before the load: what the load must conserve. */
    public record Totals(long gold, long amount) {
    }

    /** A history read back. */
    public record Recorded(List<Entry> entries, List<Fault> faults, Totals totals) {
    }

    private static final Base64.Encoder ENCODE = Base64.getEncoder();
    private static final Base64.Decoder DECODE = Base64.getDecoder();

    private final BufferedWriter out;

    /** A new history at path (replacing one there). */
    public History(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    public synchronized void totals(Totals totals) {
        line("totals\t" + totals.gold() + "\t" + totals.amount());
    }

    public void ok(long startMillis, RmwUnit unit, RmwResult result) {
        unit(new Entry(startMillis, System.currentTimeMillis(), Outcome.OK, "OK", unit, result));
    }

    /** A unit refused in a batch's result (code != 0), or a call's failure status; its description kept for diagnosis. */
    public void failure(long startMillis, RmwUnit unit, Status status) {
        String description = status.getDescription() == null ? "" : ": " + status.getDescription().replaceAll("\\s+", " ");
        unit(new Entry(startMillis, System.currentTimeMillis(), Outcome.ofFailure(status.getCode()),
                status.getCode().name() + (description.length() > 200 ? description.substring(0, 200) : description), unit, null));
    }

    public synchronized void unit(Entry e) {
        line("unit\t" + e.startMillis() + "\t" + e.endMillis() + "\t" + e.outcome() + "\t" + e.code() + "\t" + e.requestId()
                + "\t" + ENCODE.encodeToString(e.unit().toByteArray()) + "\t"
                + (e.result() == null ? "-" : ENCODE.encodeToString(e.result().toByteArray())));
    }

    public synchronized void fault(Fault f) {
        line("fault\t" + f.name() + "\t" + f.startMillis() + "\t" + f.endMillis());
    }

    private void line(String line) {
        try {
            out.write(line);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    public static Recorded read(Path path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        Totals totals = null;
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            switch (f[0]) {
                case "unit" -> entries.add(new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), Outcome.valueOf(f[3]), f[4],
                        RmwUnit.parseFrom(DECODE.decode(f[6])), f[7].equals("-") ? null : RmwResult.parseFrom(DECODE.decode(f[7]))));
                case "fault" -> faults.add(new Fault(f[1], Long.parseLong(f[2]), Long.parseLong(f[3])));
                case "totals" -> totals = new Totals(Long.parseLong(f[1]), Long.parseLong(f[2]));
                default -> throw new IOException("not a history line: " + line);
            }
        }
        if (totals == null) {
            throw new IOException(path + " has no totals line: the checker needs the totals taken before the load");
        }
        return new Recorded(entries, faults, totals);
    }
}
