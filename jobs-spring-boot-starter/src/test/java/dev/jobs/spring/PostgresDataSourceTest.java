package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.JobManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With jobs-postgres on the class path and a DataSource bean, the auto-configured manager keeps its
 * jobs in that database (a real PostgreSQL, embedded), in the schema of the properties.
 */
class PostgresDataSourceTest {

    static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theApplicationsDataSourceHoldsTheJobsInTheirOwnSchema() {
        DataSource dataSource = postgres.getPostgresDatabase();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JobsAutoConfiguration.class))
                .withBean(DataSource.class, () -> dataSource)
                .withBean(GreetJob.Greeter.class, () -> who -> "hello " + who)
                .withPropertyValues(
                        "jobs.data-directory=" + dir.resolve("data"),
                        "jobs.postgresql.schema=app_jobs",
                        "jobs.workers=2")
                .run(context -> {
                    JobManager jobs = context.getBean(JobManager.class);
                    String out = jobs.dispatchByName("greet", "{\"who\":\"pg\"}")
                            .result()
                            .get(30, TimeUnit.SECONDS)
                            .toString();
                    assertThat(out).isEqualTo("hello pg");

                    try (Connection c = dataSource.getConnection();
                            ResultSet rows = c.createStatement()
                                    .executeQuery("select count(*) from information_schema.tables"
                                            + " where table_schema = 'app_jobs'")) {
                        rows.next();
                        assertThat(rows.getInt(1)).as("the store's tables").isPositive();
                    }
                });
    }
}
