package dev.jobs.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class JobsDatabaseTest {

    private static final Path HOME = Path.of("/home/ann");

    @Test
    void aPostgresUrlBecomesAJdbcUrlWithItsUserPasswordAndSchemaTakenOut() {
        JobsDatabase.Postgres db = JobsDatabase.postgres(
                "postgresql://app:s%40cret@db.internal:6543/backups?schema=nightly&sslmode=require", null, HOME);

        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/backups?sslmode=require");
        assertThat(db.user()).isEqualTo("app");
        assertThat(db.password()).isEqualTo("s@cret");
        assertThat(db.schema()).isEqualTo("nightly");
        assertThat(db.localDirectory()).isEqualTo(HOME.resolve(".jobs/postgresql/db.internal_6543_backups_nightly"));
    }

    @Test
    void thePasswordIsNeverInWhatNamesTheDatabaseToMessagesOrChildProcesses() {
        JobsDatabase.Postgres db = JobsDatabase.postgres("postgresql://app:secret@db/backups", null, HOME);

        assertThat(db.toString())
                .isEqualTo("postgresql://app@db:5432/backups?schema=jobs")
                .doesNotContain("secret");
        assertThat(db.argument()).doesNotContain("secret");
        assertThat(db.childEnvironment()).isEqualTo(Map.of("PGPASSWORD", "secret"));
    }

    @Test
    void withoutAPasswordInTheUrlPgpasswordIsUsed() {
        JobsDatabase.Postgres db = JobsDatabase.postgres("postgres://app@db/backups", "from-env", HOME);

        assertThat(db.password()).isEqualTo("from-env");
        assertThat(db.schema()).isEqualTo("jobs");
    }

    @Test
    void aJdbcUrlKeepsItsParametersAndGivesUpItsUser() {
        JobsDatabase.Postgres db =
                JobsDatabase.postgres("jdbc:postgresql://db:5432/app?user=ops&schema=q&connectTimeout=5", null, HOME);

        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?connectTimeout=5");
        assertThat(db.user()).isEqualTo("ops");
        assertThat(db.schema()).isEqualTo("q");
    }

    @Test
    void aFileIsASqliteDatabase() {
        assertThat(new JobsDatabase.Converter().convert("/tmp/x/jobs.db"))
                .isEqualTo(new JobsDatabase.SqliteFile(Path.of("/tmp/x/jobs.db")));
        assertThat(JobsDatabase.isPostgresUrl("postgresql.db")).isFalse();
    }

    @Test
    void aBadSchemaNameIsRefusedWithTheRule() {
        assertThatThrownBy(() -> JobsDatabase.postgres("postgresql://db/app?schema=a-b", null, HOME))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("schema name 'a-b'")
                .hasMessageContaining("lower-case");
    }
}
