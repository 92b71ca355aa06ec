package io.gamestate.query;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link WatchAcrossStoreCrashTest} with the watches fed from the store's own log (watch-source log). */
@QuarkusTest
@TestProfile(WatchRegionFromLogTest.FromLog.class)
class WatchFromLogAcrossStoreCrashTest extends WatchAcrossStoreCrashTest {
}
