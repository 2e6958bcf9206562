package dev.jobs.spring;

import dev.jobs.runtime.JobManager;
import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code jobs} health indicator and Actuator endpoint, for whichever {@link JobManager} bean the
 * context has (the auto-configured one or the application's). Each part backs off when its Spring
 * Boot module is missing (spring-boot-health, spring-boot-actuator), when it is disabled ({@code
 * management.health.jobs.enabled=false}, the endpoint's access or exposure), or when the
 * application defines its own bean of that type.
 */
@AutoConfiguration(after = JobsAutoConfiguration.class)
@ConditionalOnBean(JobManager.class)
@EnableConfigurationProperties(JobsProperties.class)
public class JobsActuatorAutoConfiguration {

    /** The health part: only with Spring Boot's health module (brought by spring-boot-starter-actuator). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("jobs")
    static class Health {
        /** Named so that the indicator is "jobs" in /actuator/health. */
        @Bean
        @ConditionalOnMissingBean(name = "jobsHealthIndicator")
        HealthIndicator jobsHealthIndicator(JobManager jobs, JobsProperties properties) {
            return new JobsHealthIndicator(jobs, properties.getLease(), Clock.systemUTC());
        }
    }

    /** The endpoint part: only with spring-boot-actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class Jobs {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        JobsEndpoint jobsEndpoint(JobManager jobs) {
            return new JobsEndpoint(jobs);
        }
    }
}
