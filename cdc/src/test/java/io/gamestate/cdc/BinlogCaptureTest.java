package io.gamestate.cdc;

/** The row binlog of a MariaDB of the test's own (--log-bin --binlog-format=ROW). */
class BinlogCaptureTest extends LogCaptureContract {

    @Override
    CaptureStore startStore() {
        return CaptureStore.mariadb();
    }
}
