package io.gamestate.devstack.scorecard.report;

import java.util.Locale;

/** How figures read in both pages: thousands separated, a sensible number of decimals. */
final class Figures {

    private Figures() {
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 || value == Math.rint(value) ? "%,.0f" : magnitude >= 10 ? "%,.1f" : "%,.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    static String ms(double value) {
        return number(value) + " ms";
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    static String bytes(long value) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double scaled = value;
        int unit = 0;
        while (scaled >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return number(scaled) + " " + units[unit];
    }

    /** A label value as written: 1.5, 0, 10000 → "1.5", "0", "10000". */
    static String label(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }
}
