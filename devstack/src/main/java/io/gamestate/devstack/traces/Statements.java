package io.gamestate.devstack.traces;

import java.util.regex.Pattern;

/** SQL statements shortened to what tells them apart: verb, table, filter, locking. */
final class Statements {

    private static final Pattern SELECT_LIST = Pattern.compile("(?i)^SELECT .+? FROM ");
    private static final Pattern SET_LIST = Pattern.compile("(?i) SET .+? WHERE ");
    private static final Pattern INSERT_LIST = Pattern.compile("(?i)^(INSERT INTO \\w+) \\(.*$");
    private static final Pattern MARKERS = Pattern.compile("\\((\\$\\d+|\\?)(, (\\$\\d+|\\?))*\\)");

    private Statements() {
    }

    static String shorten(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim();
        s = SELECT_LIST.matcher(s).replaceFirst("SELECT … FROM ");
        s = SET_LIST.matcher(s).replaceFirst(" SET … WHERE ");
        s = INSERT_LIST.matcher(s).replaceFirst("$1");
        s = MARKERS.matcher(s).replaceAll("(…)");
        return s.length() > 90 ? s.substring(0, 89) + "…" : s;
    }
}
