package io.gamestate.cdc;

/** Logical decoding (pgoutput) on a PostgreSQL of the test's own with wal_level=logical. */
class PgLogicalCaptureTest extends LogCaptureContract {

    @Override
    CaptureStore startStore() {
        return CaptureStore.postgres();
    }
}
