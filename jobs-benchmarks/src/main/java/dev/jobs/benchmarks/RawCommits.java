package dev.jobs.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The floor under every durable write: how many bare SQLite commits per second this disk allows
 * (WAL, one 1-row insert per {@code BEGIN IMMEDIATE ... COMMIT}), for FULL and NORMAL.
 *
 * <pre>
 * java -cp jobs-benchmarks/target/benchmarks.jar dev.jobs.benchmarks.RawCommits
 * </pre>
 */
public final class RawCommits {
    private RawCommits() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        for (String sync : new String[] {"FULL", "NORMAL"}) {
            Path file = Files.createTempFile("raw-commits-", ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement s = c.createStatement();
                    PreparedStatement insert = prepare(c, s, sync)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    s.execute("BEGIN IMMEDIATE");
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setBytes(2, new byte[40]);
                    insert.executeUpdate();
                    s.execute("COMMIT");
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "synchronous=%s: %.0f commits/s (%.1f us per commit), one 1-row insert per commit, WAL, n=%d%n",
                        sync,
                        n / seconds,
                        seconds / n * 1e6,
                        n);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static PreparedStatement prepare(Connection c, Statement s, String sync) throws Exception {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=" + sync);
        s.execute("CREATE TABLE t (id TEXT PRIMARY KEY, v BLOB)");
        return c.prepareStatement("INSERT INTO t VALUES (?, ?)");
    }
}
