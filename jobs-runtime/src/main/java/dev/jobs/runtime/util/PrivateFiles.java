package dev.jobs.runtime.util;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories readable by their owner only (the database, job data directories): a
 * job's state and output may be private. Internal to the runtime.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

    /** {@code 0600}. */
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /** Whether only the owner has any of {@code permissions}. */
    public static boolean ownerOnly(Set<PosixFilePermission> permissions) {
        for (PosixFilePermission p : permissions) {
            if (!p.name().startsWith("OWNER_")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Creates {@code directory} and its missing parents like {@link Files#createDirectories}, each
     * one it creates {@code 0700} on file systems with POSIX permissions; directories that already
     * exist are left as they are. Returns {@code directory}.
     */
    public static Path createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return directory;
        }
        if (!posix(absolute)) {
            Files.createDirectories(absolute);
            return directory;
        }
        List<Path> missing = new ArrayList<>();
        for (Path d = absolute; d != null && !Files.exists(d); d = d.getParent()) {
            missing.add(0, d);
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY);
        for (Path d : missing) {
            try {
                Files.createDirectory(d, ownerOnly);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) {
                    throw e;
                }
                continue; // created by someone else meanwhile: not ours to change
            }
            restrict(d, OWNER_DIRECTORY); // the umask may have taken bits away from the ones asked for
        }
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute); // fails with the reason (a file in the way, ...)
        }
        return directory;
    }

    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Sets these permissions; a file system that refuses (FAT mounted on Linux, ...) is logged, not fatal. */
    public static void restrict(Path path, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here
        } catch (IOException e) {
            LOG.warn(
                    "cannot make {} {} (readable by its owner only): {}",
                    path,
                    PosixFilePermissions.toString(permissions),
                    e.toString());
        }
    }
}
