package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.testing.TestHooks;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the library creates for a database is for its owner only: files 0600, directories 0700;
 * what already existed keeps its permissions. Asserts permission bits, not access (tests may run as root).
 */
class FilePermissionsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static Path sibling(Path db, String suffix) {
        return db.resolveSibling(db.getFileName() + suffix);
    }

    /** Writes a file into its data directory and returns the directory's path. */
    static final class DataDirJob implements JobHandler<String> {
        @Override
        public String run(JobContext ctx) throws Exception {
            Files.writeString(ctx.dataDir().resolve("scratch.txt"), "scratch");
            return ctx.dataDir().toString();
        }
    }

    private interface Check {
        void on(Path dataDir) throws Exception;
    }

    /** Opens a manager on {@code db} and runs a job that uses its data directory; {@code check} runs while the manager is open. */
    private static void runJob(Path db, Check check) throws Exception {
        // registered by hand, so the test's job does not join the ServiceLoader registrations other tests list
        JobRegistry registry =
                JobRegistry.of(List.of(new StubRegistration<>("test.data-dir", DataDirJob.class, DataDirJob::new)));
        try (JobManager jobs = TestHooks.registry(JobManager.builder().database(db), registry)
                .workers(2)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build()) {
            String dataDir = jobs.dispatch(new DataDirJob()).result().get(20, TimeUnit.SECONDS);
            check.on(Path.of(dataDir));
        }
    }

    @Test
    void newDatabaseAndItsWalAndShmFilesAreOwnerOnly() throws Exception {
        Path db = dir.resolve("jobs.db");
        runJob(db, dataDir -> {
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(sibling(db, "-wal")).exists();
            assertThat(mode(sibling(db, "-wal"))).isEqualTo("rw-------");
            assertThat(sibling(db, "-shm")).exists();
            assertThat(mode(sibling(db, "-shm"))).isEqualTo("rw-------");
        });
    }

    @Test
    void directoriesCreatedForTheDatabaseAndJobDataAreOwnerOnly() throws Exception {
        Path db = dir.resolve("state/jobs/jobs.db");
        runJob(db, dataDir -> {
            assertThat(mode(dir.resolve("state"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("state/jobs"))).isEqualTo("rwx------");
            assertThat(dataDir.getParent()).isEqualTo(sibling(db, ".data"));
            assertThat(mode(sibling(db, ".data"))).isEqualTo("rwx------");
            assertThat(mode(dataDir)).isEqualTo("rwx------");
        });
    }

    @Test
    void existingDatabaseFileAndDirectoryKeepTheirPermissions() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path db = Files.createFile(shared.resolve("jobs.db")); // an empty file is an empty SQLite database
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        String tempDirMode = mode(dir);

        runJob(db, dataDir -> {
            assertThat(mode(db)).isEqualTo("rw-r--r--");
            assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
            assertThat(mode(dir)).isEqualTo(tempDirMode);
        });
    }
}
