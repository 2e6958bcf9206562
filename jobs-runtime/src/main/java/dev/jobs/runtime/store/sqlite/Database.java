package dev.jobs.runtime.store.sqlite;

import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.SynchronousMode;
import dev.jobs.runtime.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens connections to one SQLite file with the settings the store relies on: WAL journal (readers
 * never block the writer), a busy timeout (another process holding the write lock makes us wait,
 * not fail at once), and the configured {@link SynchronousMode}.
 *
 * <p>Files and directories it creates are for the owner only, on file systems with POSIX
 * permissions: the database file is created {@code 0600} before SQLite opens it, directories
 * {@code 0700}, and the {@code -wal} and {@code -shm} files of an owner-only database are kept
 * {@code 0600}. A database file or directory that already exists keeps its permissions.
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Set<PosixFilePermission> OWNER_FILE = PrivateFiles.OWNER_FILE;

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

    /** What {@link #fileIdentity()} returns when the file could not be looked at (not proof that it is gone). */
    public static final Object UNKNOWN_IDENTITY = new Object();

    /**
     * The identity of the file on disk (inode on POSIX), null if it does not exist, or
     * {@link #UNKNOWN_IDENTITY} if it could not be looked at.
     */
    public Object fileIdentity() {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return UNKNOWN_IDENTITY;
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
            throw new StoreException(
                    "job database " + file
                            + " is read-only; make the file and its directory writable (every manager, client ones included, writes to it)");
        }
        Path parent = file.getParent();
        try {
            if (parent != null) {
                PrivateFiles.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of job database " + file + ": " + e, e);
        }
        createPrivateFile();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(
                synchronous == SynchronousMode.FULL
                        ? SQLiteConfig.SynchronousMode.FULL
                        : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // the triggers of child jobs and chains cascade (a cancelled step cancels the next, which
        // cancels the next...): that is one trigger firing itself, which SQLite allows only with this
        config.enableRecursiveTriggers(true);
        // the store reads new rows with RETURNING; without this the driver scans the SQL of every
        // update with a regular expression to prepare generated keys nobody asks for
        config.setGetGeneratedKeys(false);
        try {
            Connection connection = config.createConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                // Touch the file so "not a database" surfaces here, with the file's name.
                s.execute("PRAGMA schema_version");
            }
            restrictJournalFiles();
            return connection;
        } catch (SQLException e) {
            throw translate("open", e);
        }
    }

    /**
     * Creates the database file, empty (SQLite takes an empty file for an empty database), readable
     * and writable by the owner only, if it does not exist; an existing file is left as it is.
     */
    private void createPrivateFile() {
        if (Files.exists(file) || !PrivateFiles.posix(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (FileAlreadyExistsException e) {
            return; // another manager created it just now; it is not ours to change
        } catch (UnsupportedOperationException | IOException e) {
            return; // SQLite opens it as before, and reports a problem in its words
        }
        PrivateFiles.restrict(file, OWNER_FILE); // the umask may have taken bits away from the ones asked for
    }

    /**
     * SQLite creates the {@code -wal} and {@code -shm} files with the database file's permissions;
     * for an owner-only database this makes sure of it. The journal files of a database the user
     * opened to others are left alike, since every reader has to read the one and write the other.
     */
    private void restrictJournalFiles() {
        try {
            if (!PrivateFiles.posix(file) || !PrivateFiles.ownerOnly(Files.getPosixFilePermissions(file))) {
                return;
            }
            for (String suffix : List.of("-wal", "-shm")) {
                Path journal = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(journal)
                        && !Files.getPosixFilePermissions(journal).equals(OWNER_FILE)) {
                    PrivateFiles.restrict(journal, OWNER_FILE);
                }
            }
        } catch (UnsupportedOperationException | IOException e) {
            // gone again (the last connection elsewhere closed) or no POSIX permissions: nothing to do
        }
    }

    /** Turns a driver exception into a {@link StoreException} whose message says what to do. */
    public StoreException translate(String action, SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            String base = code == null ? "" : code.name();
            if (base.startsWith("SQLITE_NOTADB")) {
                return new StoreException(
                        file + " is not a SQLite database (or is encrypted/corrupt); point the manager at another file",
                        e);
            }
            if (base.startsWith("SQLITE_READONLY")) {
                return new StoreException(
                        "job database " + file + " is read-only; make the file and its directory writable", e);
            }
            if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) {
                return new StoreException(
                        "job database " + file + " is locked by another process for longer than the busy timeout ("
                                + busyTimeout.toMillis() + " ms); " + action + " did not happen",
                        e);
            }
            if (base.startsWith("SQLITE_FULL")) {
                return new StoreException(
                        "the disk holding job database " + file + " is full; " + action + " did not happen", e);
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
