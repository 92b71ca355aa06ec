package io.gamestate.store.testing;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan PostgreSQL settles on for a prepared statement (its generic plan, made once for any
 * parameters) when {@code entity} holds a big world. Within one transaction a temporary table
 * shadows {@code entity} with 100,000 rows under 20 parents: the skew of a 1M-entity world, whose
 * statistics promise thousands of children to any node.
 */
public final class GenericPlans {

    private GenericPlans() {
    }

    /** EXPLAIN of {@code statement} (numbered markers) run with {@code arguments}, one line a plan node. */
    public static String onSkewedWorld(Pool pool, String statement, String arguments) {
        List<String> plan = new ArrayList<>();
        pool.withTransaction(c -> c.query("CREATE TEMP TABLE entity (LIKE public.entity INCLUDING ALL) ON COMMIT DROP").execute()
                .chain(() -> c.query("INSERT INTO entity (id, kind, owner_id, parent_id, hp, max_hp, gold, amount, dead, version)"
                        + " SELECT g, 1, g, g % 20 + 1, 1, 1, 0, 0, 0, 1 FROM generate_series(1, 100000) g").execute())
                .chain(() -> c.query("ANALYZE entity").execute())
                .chain(() -> c.query("SET LOCAL plan_cache_mode = force_generic_plan").execute())
                .chain(() -> c.query("PREPARE planned AS " + statement).execute())
                .chain(() -> c.query("EXPLAIN EXECUTE planned(" + arguments + ")").execute())
                .invoke(rows -> rows.forEach(r -> plan.add(r.getString(0))))
                .chain(() -> c.query("DEALLOCATE planned").execute()))
                .await().atMost(Duration.ofSeconds(30));
        return String.join("\n", plan);
    }
}
