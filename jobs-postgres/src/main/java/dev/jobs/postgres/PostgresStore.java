package dev.jobs.postgres;

import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.JobStoreFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A PostgreSQL store for {@code JobManager.builder().store(...)}: the jobs of every node that opens
 * the same schema of the same database are one queue.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);        // the application's pool
 * JobManager jobs = JobManager.builder()
 *         .store(PostgresStore.of(pool).schema("jobs"))
 *         .dataDirectory(Path.of("/var/lib/app/jobs"))
 *         .build();
 * }</pre>
 *
 * <p>Opening the store creates the schema and its tables, or migrates them, in one transaction
 * under an advisory lock (see docs/postgresql.md). The writes of runs and dispatches are group
 * committed by one writer thread (one connection per batch); other calls borrow a connection of
 * the data source each; watching for changes holds one more connection while the manager runs.
 */
public final class PostgresStore implements JobStoreFactory {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String schema;

    private PostgresStore(DataSource dataSource, String schema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = schema;
    }

    /** A store on {@code dataSource} in the schema {@code jobs}. */
    public static PostgresStore of(DataSource dataSource) {
        return new PostgresStore(dataSource, "jobs");
    }

    /**
     * The same store in another schema (created if missing): lower-case letters, digits and
     * underscores, as PostgreSQL folds unquoted names.
     */
    public PostgresStore schema(String name) {
        if (name == null || !SCHEMA.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name '" + name
                    + "' is not a plain lower-case PostgreSQL identifier (letters, digits, _; at most 63)");
        }
        return new PostgresStore(dataSource, name);
    }

    /** The schema the store's tables are in. */
    public String schemaName() {
        return schema;
    }

    @Override
    public JobStore open(Collection<String> runnableNames) {
        String quoted = "\"" + schema + "\"";
        String describe = describe();
        try (Connection c = dataSource.getConnection()) {
            String url = c.getMetaData().getURL();
            if (url != null) { // without its query string, where a password may be
                describe = describe + " at " + url.replaceAll("\\?.*", "");
            }
            Migrations.apply(c, schema, quoted, PostgresJobStore.channel(schema), describe);
        } catch (SQLException e) {
            throw new StoreException(
                    "cannot open the job store in " + describe + " (" + e.getMessage()
                            + "); check that the database is up, the data source's URL and credentials, and that"
                            + " its user may create the schema and its tables",
                    e);
        }
        return new PostgresJobStore(dataSource, schema, quoted, describe, runnableNames);
    }

    @Override
    public String describe() {
        return "PostgreSQL schema " + schema;
    }
}
