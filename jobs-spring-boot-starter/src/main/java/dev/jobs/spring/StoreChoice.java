package dev.jobs.spring;

import dev.jobs.spring.JobsProperties.Store;

/**
 * Which store the properties choose, decided from {@code jobs.store}, {@code jobs.database}, whether
 * the application has a {@code DataSource} bean and whether jobs-postgres is on the class path.
 *
 * <p>{@code auto} picks PostgreSQL only when all of these hold: no {@code jobs.database}, a
 * DataSource, and jobs-postgres. Adding jobs-postgres is the application's explicit wish; a
 * DataSource alone is not (most applications have one, for a database that is not PostgreSQL or is
 * not meant for jobs), so without the jar the jobs go to the SQLite file.
 */
enum StoreChoice {
    SQLITE,
    POSTGRESQL;

    static StoreChoice of(Store store, boolean databaseSet, boolean dataSource, boolean postgresJar) {
        return switch (store) {
            case SQLITE -> SQLITE;
            case POSTGRESQL -> {
                if (!postgresJar) {
                    throw new IllegalStateException(
                            "jobs.store=postgresql needs dev.jobs:jobs-postgres on the class path");
                }
                if (!dataSource) {
                    throw new IllegalStateException(
                            "jobs.store=postgresql needs a single DataSource bean (spring.datasource.* or your own)");
                }
                yield POSTGRESQL;
            }
            case AUTO -> !databaseSet && dataSource && postgresJar ? POSTGRESQL : SQLITE;
        };
    }
}
