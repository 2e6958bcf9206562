package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.JobFailedException;
import dev.jobs.runtime.JobInitializer;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sqlite.SQLiteDataSource;

/** What {@link JobsAutoConfiguration} makes of the properties and of the application's own beans. */
class JobsAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JobsAutoConfiguration.class))
                .withPropertyValues("jobs.database=" + dir.resolve("jobs.db"), "jobs.workers=2")
                .withBean(GreetJob.Greeter.class, () -> who -> "hello " + who);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void aManagerOnTheSqliteFileOfThePropertiesIsCreatedAndClosedWithTheContext() {
        JobManager[] seen = new JobManager[1];
        runner().run(context -> {
            assertThat(context).hasSingleBean(JobManager.class).hasSingleBean(JobInitializer.class);
            assertThat(context.getBean(JobInitializer.class)).isInstanceOf(SpringJobInitializer.class);
            seen[0] = context.getBean(JobManager.class);
            assertThat(seen[0].isClosed()).isFalse();
            assertThat(seen[0].isClient()).isFalse();
            assertThat(dir.resolve("jobs.db")).exists();
        });
        assertThat(seen[0].isClosed()).as("closed with the context").isTrue();
    }

    @Test
    void jobsGetTheContextsBeansInjected() {
        runner().run(context -> {
            JobManager jobs = context.getBean(JobManager.class);
            assertThat(jobs.dispatch(new GreetJob("ada")).result().get(30, TimeUnit.SECONDS))
                    .isEqualTo("hello ada");
            assertThat(jobs.dispatchByName("greet", "{\"who\":\"bob\"}")
                            .result()
                            .get(30, TimeUnit.SECONDS))
                    .isEqualTo("hello bob");
        });
    }

    @Test
    void aJobWhoseBeanIsMissingFailsNamingTheDependency() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JobsAutoConfiguration.class))
                .withPropertyValues("jobs.database=" + dir.resolve("jobs.db"), "jobs.workers=2")
                .run(context -> {
                    JobManager jobs = context.getBean(JobManager.class);
                    var handle = jobs.dispatch(new GreetJob("eve"));

                    assertThatThrownBy(() -> handle.result().get(30, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(JobFailedException.class);
                    assertThat(jobs.info(handle.id()).error())
                            .hasValueSatisfying(error -> assertThat(error)
                                    .contains("job 'greet'", "could not be prepared", "GreetJob$Greeter"));
                });
    }

    @Test
    void thePropertiesAreBound() {
        runner().withPropertyValues(
                        "jobs.lease=20s",
                        "jobs.shutdown-timeout=5s",
                        "jobs.synchronous=normal",
                        "jobs.busy-timeout=3s",
                        "jobs.data-directory=" + dir.resolve("data"),
                        "jobs.retention.max-age=7d",
                        "jobs.retention.max-count=100",
                        "jobs.retention.period=10m",
                        "jobs.postgresql.schema=app_jobs",
                        "jobs.web.path=/ops/jobs/*",
                        "jobs.web.read-only=true")
                .run(context -> {
                    JobsProperties p = context.getBean(JobsProperties.class);
                    assertThat(p.getWorkers()).isEqualTo(2);
                    assertThat(p.getLease()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(p.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.getSynchronous()).isEqualTo(SynchronousMode.NORMAL);
                    assertThat(p.getBusyTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getDataDirectory()).isEqualTo(dir.resolve("data"));
                    assertThat(p.getRetention().getMaxAge()).isEqualTo(Duration.ofDays(7));
                    assertThat(p.getRetention().getMaxCount()).isEqualTo(100);
                    assertThat(p.getRetention().getPeriod()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(p.getPostgresql().getSchema()).isEqualTo("app_jobs");
                    assertThat(p.getWeb().getPath()).isEqualTo("/ops/jobs/*");
                    assertThat(p.getWeb().isReadOnly()).isTrue();
                    assertThat(context).hasSingleBean(JobManager.class);
                });
    }

    @Test
    void theDefaultsAreTheBuildersOwn() {
        JobsProperties p = new JobsProperties();

        assertThat(p.getStore()).isEqualTo(JobsProperties.Store.AUTO);
        assertThat(p.getWorkers()).isNull();
        assertThat(p.getLease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.getSynchronous()).isEqualTo(SynchronousMode.FULL);
        assertThat(p.getRetention().getMaxAge()).isNull();
        assertThat(p.getWeb().isEnabled()).isFalse();
        assertThat(p.getWeb().getPath()).isEqualTo("/jobs/*");
    }

    @Test
    void thePropertiesReachTheBuilder() {
        // the builder's own checks reject these values: the properties got to it
        runner().withPropertyValues("jobs.workers=0")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .hasMessageContaining("workers must be at least 1"));
        runner().withPropertyValues("jobs.lease=10ms")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .hasMessageContaining("lease must be at least 30 ms"));
        runner().withPropertyValues("jobs.retention.max-count=0")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .hasMessageContaining("count must be at least 1"));
        runner().withPropertyValues("jobs.client=true")
                .run(context ->
                        assertThat(context.getBean(JobManager.class).isClient()).isTrue());
    }

    @Test
    void jobsEnabledFalseConfiguresNothing() {
        runner().withPropertyValues("jobs.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(JobManager.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnManager {
        @Bean(destroyMethod = "close")
        JobManager myJobs(JobsPropertiesPath path) {
            return JobManager.builder().database(path.file()).workers(1).build();
        }
    }

    record JobsPropertiesPath(Path file) {}

    @Test
    void theApplicationsOwnManagerWins() {
        runner().withBean(JobsPropertiesPath.class, () -> new JobsPropertiesPath(dir.resolve("own.db")))
                .withUserConfiguration(OwnManager.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(JobManager.class).hasBean("myJobs");
                    assertThat(dir.resolve("own.db")).exists();
                    assertThat(dir.resolve("jobs.db")).doesNotExist();
                });
    }

    @Test
    void theApplicationsOwnInitializerWins() {
        List<String> calls = new CopyOnWriteArrayList<>();
        JobInitializer own = job -> {
            calls.add(job.getClass().getSimpleName());
            ((GreetJob) job).use(who -> "hi " + who);
        };
        runner().withBean(JobInitializer.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(JobInitializer.class);
            String out = context.getBean(JobManager.class)
                    .dispatch(new GreetJob("cy"))
                    .result()
                    .get(30, TimeUnit.SECONDS);
            assertThat(out).isEqualTo("hi cy");
            assertThat(calls).containsExactly("GreetJob");
        });
    }

    @Test
    void customizersChangeTheBuilderLast() {
        runner().withBean(JobsBuilderCustomizer.class, () -> builder -> builder.workers(0))
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .hasMessageContaining("workers must be at least 1"));
    }

    private DataSource sqliteDataSource() {
        SQLiteDataSource source = new SQLiteDataSource(); // a real DataSource that is not PostgreSQL
        source.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
        return source;
    }

    @Test
    void withADataSourceAndJobsPostgresAutoChoosesPostgresql() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JobsAutoConfiguration.class))
                .withBean(DataSource.class, this::sqliteDataSource)
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .as("the PostgreSQL store was chosen: it asks for its data directory")
                        .hasMessageContaining("needs jobs.data-directory"));
    }

    @Test
    void withADataSourceAndADatabaseFileAutoChoosesSqlite() {
        runner().withBean(DataSource.class, this::sqliteDataSource).run(context -> {
            assertThat(context).hasSingleBean(JobManager.class);
            assertThat(dir.resolve("jobs.db")).exists();
        });
    }

    @Test
    void postgresqlWithoutADataSourceFailsNamingWhatIsMissing() {
        runner().withPropertyValues("jobs.store=postgresql")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .hasMessageContaining("jobs.store=postgresql needs a single DataSource bean"));
        runner().withPropertyValues("jobs.store=postgresql")
                .withClassLoader(new FilteredClassLoader("dev.jobs.postgres"))
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .hasMessageContaining("needs dev.jobs:jobs-postgres"));
    }

    @Test
    void theConfigurationMetadataIsInTheJar() throws Exception {
        Path metadata = Path.of(JobsProperties.class
                .getResource("/META-INF/spring-configuration-metadata.json")
                .toURI());

        assertThat(Files.readString(metadata))
                .contains("\"jobs.database\"", "\"jobs.lease\"", "\"jobs.web.enabled\"", "\"jobs.retention.max-age\"");
    }
}
