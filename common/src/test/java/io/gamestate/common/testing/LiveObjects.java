package io.gamestate.common.testing;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live instances of a class in this JVM, from its class histogram (the same as
 * {@code jcmd <pid> GC.class_histogram}): a full collection first, so only objects still reachable
 * are counted. A @QuarkusTest runs the service in the test's JVM, so this sees what it keeps.
 */
public final class LiveObjects {

    /** What SmallRye Fault Tolerance 6.10.1 keeps for every call made through {@code @ApplyGuard}. */
    public static final String FAULT_TOLERANCE_METRICS_COLLECTOR = "io.smallrye.faulttolerance.core.metrics.MetricsCollector";

    private LiveObjects() {
    }

    public static long of(String className) {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("no class histogram from this JVM", e);
        }
        // A row: "  12:     203300     16264000  io.smallrye...MetricsCollector"; a class loaded twice has two.
        long instances = 0;
        for (String row : histogram.split("\n")) {
            String[] columns = row.trim().split("\\s+");
            if (columns.length >= 4 && columns[3].equals(className)) {
                instances += Long.parseLong(columns[1]);
            }
        }
        return instances;
    }
}
