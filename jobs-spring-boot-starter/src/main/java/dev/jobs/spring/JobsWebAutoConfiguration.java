package dev.jobs.spring;

import dev.jobs.runtime.JobManager;
import dev.jobs.web.JobsServlet;
import dev.jobs.web.JobsWeb;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The dashboard and HTTP API of jobs-web as a servlet of the application, at {@code jobs.web.path}
 * (default {@code /jobs/*}).
 *
 * <p>Off unless {@code jobs.web.enabled=true}, even with jobs-web on the class path: the API can
 * dispatch, pause and cancel jobs, so mounting it must be the application's decision, made together
 * with its protection ({@code jobs.web.token}, {@code jobs.web.read-only}, or the application's own
 * security on the path).
 */
@AutoConfiguration(after = JobsAutoConfiguration.class)
@ConditionalOnClass({JobsServlet.class, ServletRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty("jobs.web.enabled")
@ConditionalOnBean(JobManager.class)
@EnableConfigurationProperties(JobsProperties.class)
public class JobsWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "jobsServlet")
    ServletRegistrationBean<JobsServlet> jobsServlet(JobManager jobs, JobsProperties properties) {
        JobsProperties.Web web = properties.getWeb();
        if (!web.getPath().startsWith("/") || !web.getPath().endsWith("/*")) {
            // the servlet serves the dashboard and the API below its mapping: an exact mapping has no below
            throw new IllegalStateException(
                    "jobs.web.path must start with / and end with /* (like /jobs/*), was '" + web.getPath() + "'");
        }
        JobsWeb.Options options = JobsWeb.Options.defaults()
                .readOnly(web.isReadOnly())
                .dashboard(web.isDashboard())
                .maxBodyBytes(web.getMaxBodyBytes())
                .maxEventStreams(web.getMaxEventStreams())
                .allowedHosts(web.getAllowedHosts().toArray(String[]::new));
        if (web.getToken() != null && !web.getToken().isBlank()) {
            options = options.token(web.getToken());
        }
        ServletRegistrationBean<JobsServlet> registration =
                new ServletRegistrationBean<>(new JobsServlet(jobs, options), web.getPath());
        registration.setName("jobsServlet");
        return registration;
    }
}
