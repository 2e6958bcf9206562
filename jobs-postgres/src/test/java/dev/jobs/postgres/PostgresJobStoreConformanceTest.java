package dev.jobs.postgres;

import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.JobStoreConformance;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL store against the store SPI's conformance suite, on a real PostgreSQL server
 * started once for the class; each test gets a schema of its own, and its second store opens the
 * same schema (as another node would).
 */
@ExtendWith(NotYetInPostgres.class)
class PostgresJobStoreConformanceTest extends JobStoreConformance {

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    private String schema;

    @Override
    protected JobStore openStore(Path dir, Collection<String> runnable) {
        schema = EmbeddedDatabase.freshSchema();
        return PostgresStore.of(database.dataSource()).schema(schema).open(runnable);
    }

    @Override
    protected JobStore openSecondStore(Path dir, Collection<String> runnable) {
        return PostgresStore.of(database.dataSource()).schema(schema).open(runnable);
    }
}
