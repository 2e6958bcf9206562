package dev.jobs.spring;

import dev.jobs.postgres.PostgresStore;
import dev.jobs.runtime.store.JobStoreFactory;
import javax.sql.DataSource;

/**
 * The only class that names jobs-postgres, an optional dependency: it is loaded only once the
 * PostgreSQL store was chosen, so that the rest of the auto-configuration works without the jar.
 */
final class PostgresStores {
    static final String STORE_CLASS = "dev.jobs.postgres.PostgresStore";

    private PostgresStores() {}

    static JobStoreFactory of(DataSource dataSource, String schema) {
        return PostgresStore.of(dataSource).schema(schema);
    }
}
