package dev.jobs.spring;

import dev.jobs.runtime.JobInitializer;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * A {@link JobManager} bean from the {@code jobs.*} properties ({@link JobsProperties}), whose jobs get
 * the application's beans injected ({@link SpringJobInitializer}), closed with the context.
 *
 * <p>Closing the manager (the bean's destroy method) stops it gracefully: no new job starts, and each
 * running resumable job stops at its next {@code checkInterrupt()} or {@code checkpoint()} with its
 * state saved, for up to {@code jobs.shutdown-timeout}; it continues from there at the next start.
 *
 * <p>After the application's DataSource is configured (by name, so that no JDBC module of Spring
 * Boot is needed), as the PostgreSQL store may use it.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration", // Boot 4
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration" // Boot 3
        })
@ConditionalOnBooleanProperty(name = "jobs.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JobsProperties.class)
public class JobsAutoConfiguration {

    /** The name of the auto-configured manager bean. */
    public static final String MANAGER_BEAN = "jobManager";

    static final String GATE_BEAN = "jobsStartupGate";

    /** Injects the context's beans into every job object before it runs; replace it with your own bean. */
    @Bean
    @ConditionalOnMissingBean
    JobInitializer jobsJobInitializer(AutowireCapableBeanFactory beans) {
        return new SpringJobInitializer(beans);
    }

    @Bean(GATE_BEAN)
    static StartupGate jobsStartupGate(ApplicationContext context) {
        return new StartupGate(context);
    }

    @Bean(name = MANAGER_BEAN, destroyMethod = "close")
    @ConditionalOnMissingBean
    JobManager jobManager(
            JobsProperties properties,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<JobInitializer> initializer,
            ObjectProvider<JobsBuilderCustomizer> customizers,
            StartupGate gate,
            ApplicationContext context,
            ConfigurableListableBeanFactory beanFactory) {
        JobManagerBuilder builder = JobManager.builder();
        ClassLoader loader = context.getClassLoader();
        if (loader != null) {
            builder.classLoader(loader); // the application's (a restart class loader with devtools)
        }
        DataSource source = dataSource.getIfUnique();
        StoreChoice store = StoreChoice.of(
                properties.getStore(),
                properties.getDatabase() != null,
                source != null,
                ClassUtils.isPresent(PostgresStores.STORE_CLASS, loader));
        if (store == StoreChoice.POSTGRESQL) {
            if (properties.getDataDirectory() == null) {
                throw new IllegalStateException("the PostgreSQL job store needs jobs.data-directory: a database has"
                        + " no directory beside it for the jobs' ctx.dataDir()");
            }
            builder.store(PostgresStores.of(source, properties.getPostgresql().getSchema()));
        } else {
            builder.database(properties.getDatabase() != null ? properties.getDatabase() : Path.of("jobs.db"))
                    .synchronous(properties.getSynchronous())
                    .busyTimeout(properties.getBusyTimeout());
        }
        apply(properties, builder);
        initializer.ifAvailable(i -> builder.jobInitializer(gate.around(i)));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        JobManager manager = builder.build();
        // the gate is destroyed before the manager: a job that waits at it while a failed refresh
        // destroys the beans goes back to the queue at once, instead of holding up close()
        beanFactory.registerDependentBean(MANAGER_BEAN, GATE_BEAN);
        return manager;
    }

    /** The options that do not depend on the store. */
    static void apply(JobsProperties properties, JobManagerBuilder builder) {
        if (properties.getDataDirectory() != null) {
            builder.dataDirectory(properties.getDataDirectory());
        }
        if (properties.getWorkers() != null) {
            builder.workers(properties.getWorkers());
        }
        if (properties.isClient()) {
            builder.client();
        }
        builder.leaseDuration(properties.getLease()).shutdownTimeout(properties.getShutdownTimeout());
        JobsProperties.Retention retention = properties.getRetention();
        if (retention.getMaxAge() != null) {
            builder.retainFinishedFor(retention.getMaxAge());
        }
        if (retention.getMaxCount() != null) {
            builder.retainFinishedCount(retention.getMaxCount());
        }
        builder.retentionPeriod(retention.getPeriod());
    }
}
