package dev.jobs.examples.index;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The indexer's own SQLite database: discovered files (a queue in discovery order), directories,
 * the index rows, and per phase the last queue entry whose batch is committed. That marker is
 * written in the same transaction as the batch, so after a crash the index itself says where to
 * go on: a committed batch is never redone, an uncommitted one is never lost.
 */
final class IndexDatabase implements AutoCloseable {

    private final Connection connection;

    IndexDatabase(Path file) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
        }
    }

    /** Drops any previous index and creates empty tables. */
    void reset() throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String table : new String[] {"queue", "dirs", "files", "markers"}) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
            s.execute("CREATE TABLE queue (seq INTEGER PRIMARY KEY, path TEXT NOT NULL)");
            s.execute("CREATE TABLE dirs (path TEXT PRIMARY KEY)");
            s.execute("CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, modified INTEGER, created INTEGER, "
                    + "hash TEXT, media_type TEXT, lines INTEGER, vanished INTEGER NOT NULL DEFAULT 0)");
            s.execute("CREATE TABLE markers (phase TEXT PRIMARY KEY, upto INTEGER NOT NULL)");
        }
    }

    Connection connection() {
        return connection;
    }

    /** The last committed queue entry of a phase, or -1 if the phase has not committed anything. */
    long marker(String phase) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT upto FROM markers WHERE phase = ?")) {
            s.setString(1, phase);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    void setMarker(String phase, long upto) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO markers (phase, upto) VALUES (?, ?) ON CONFLICT(phase) DO UPDATE SET upto = excluded.upto")) {
            s.setString(1, phase);
            s.setLong(2, upto);
            s.executeUpdate();
        }
    }

    long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
