package io.gamestate.store;

/** The two wire protocols the suite speaks; the datasource's db-kind picks one. */
public enum StoreFamily {
    /** PostgreSQL, CockroachDB, YugabyteDB. */
    POSTGRESQL,
    /** MariaDB, MySQL, TiDB. */
    MYSQL;

    public static StoreFamily ofDbKind(String dbKind) {
        return switch (dbKind.toLowerCase()) {
            case "postgresql", "postgres", "pgsql" -> POSTGRESQL;
            case "mysql", "mariadb" -> MYSQL;
            default -> throw new IllegalArgumentException("unsupported db-kind " + dbKind);
        };
    }
}
