package io.gamestate.common.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The command-line tools the local servers are driven with (initdb, pg_ctl, mariadb, kill). */
final class Commands {

    private Commands() {
    }

    /** Runs the command to its end and returns its output (stdout and stderr); a non-zero exit fails with that output. */
    static String run(List<String> command) {
        return run(command, true);
    }

    /** As {@link #run(List)}; with {@code mustSucceed} false a non-zero exit is not a failure. */
    static String run(List<String> command, boolean mustSucceed) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0 && mustSucceed) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
