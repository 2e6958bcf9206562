package dev.jobs.runtime.store;

import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens connections to one SQLite file with the settings the store relies on: WAL journal (readers
 * never block the writer), a busy timeout (another process holding the write lock makes us wait,
 * not fail at once), and the configured {@link SynchronousMode}.
 */
public final class Database {

    private final Path file;
    private final SynchronousMode synchronous;
    private final Duration busyTimeout;
    /** Set once the file was found deleted or replaced under this process: every later call fails with it. */
    private volatile StoreException lost;

    public Database(Path file, SynchronousMode synchronous, Duration busyTimeout) {
        this.file = file.toAbsolutePath();
        this.synchronous = synchronous;
        this.busyTimeout = busyTimeout;
    }

    public Path file() {
        return file;
    }

    /**
     * Marks the database as gone (its file was deleted or replaced while open). SQLite would keep
     * writing to the unlinked file, and everything written would vanish with the process: from now
     * on every read and write fails with {@code reason} instead.
     */
    public void markLost(StoreException reason) {
        if (lost == null) {
            lost = reason;
        }
    }

    /** Throws the reason the database was marked lost, if it was. */
    public void ensureAvailable() {
        StoreException reason = lost;
        if (reason != null) {
            throw new StoreException(reason.getMessage(), reason);
        }
    }

    public boolean available() {
        return lost == null;
    }

    /** The identity of the file on disk (inode on POSIX), or null if it does not exist. */
    public Object fileIdentity() {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public SynchronousMode synchronous() {
        return synchronous;
    }

    /** A connection for the single writer; writes go through {@code BEGIN IMMEDIATE}. */
    public Connection openWriter() {
        return open(false);
    }

    /** A connection for queries. */
    public Connection openReader() {
        return open(true);
    }

    private Connection open(boolean reader) {
        if (!reader && Files.exists(file) && !Files.isWritable(file)) {
            throw new StoreException("job database " + file + " is read-only; make the file and its directory writable (every manager, client ones included, writes to it)");
        }
        Path parent = file.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the directory of job database " + file + ": " + e, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronous == SynchronousMode.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        try {
            Connection connection = config.createConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                // Touch the file so "not a database" surfaces here, with the file's name.
                s.execute("PRAGMA schema_version");
            }
            return connection;
        } catch (SQLException e) {
            throw translate("open", e);
        }
    }

    /** Turns a driver exception into a {@link StoreException} whose message says what to do. */
    public StoreException translate(String action, SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            String base = code == null ? "" : code.name();
            if (base.startsWith("SQLITE_NOTADB")) {
                return new StoreException(file + " is not a SQLite database (or is encrypted/corrupt); point the manager at another file", e);
            }
            if (base.startsWith("SQLITE_READONLY")) {
                return new StoreException("job database " + file + " is read-only; make the file and its directory writable", e);
            }
            if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) {
                return new StoreException("job database " + file + " is locked by another process for longer than the busy timeout ("
                        + busyTimeout.toMillis() + " ms); " + action + " did not happen", e);
            }
            if (base.startsWith("SQLITE_FULL")) {
                return new StoreException("the disk holding job database " + file + " is full; " + action + " did not happen", e);
            }
            if (base.startsWith("SQLITE_CANTOPEN")) {
                return new StoreException("cannot open job database " + file + " (check the path and permissions)", e);
            }
            if (base.startsWith("SQLITE_CORRUPT")) {
                return new StoreException("job database " + file + " is corrupt: " + e.getMessage(), e);
            }
        }
        return new StoreException("job database " + file + ": " + action + " failed: " + e.getMessage(), e);
    }
}
