package io.gamestate.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The database of a module's {@code @QuarkusTest}s, created before Quarkus starts (Flyway migrates
 * it at start), on the server of the test profile's store family. Declared once per module:
 * {@code @QuarkusTestResource(value = TestDatabase.class, initArgs = @ResourceArg(name = "name", value = "..."))}.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private String name;

    @Override
    public void init(Map<String, String> initArgs) {
        name = initArgs.get("name");
    }

    @Override
    public Map<String, String> start() {
        TestDatabases.ensure(TestDatabases.ofTestProfile(), name);
        return Map.of("gamestate.db.name", name);
    }

    @Override
    public void stop() {
    }
}
