package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.web.JobsServlet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The dashboard servlet is registered only when asked for, in a servlet application with jobs-web. */
class JobsWebAutoConfigurationTest {

    @TempDir
    Path dir;

    private final AutoConfigurations configurations =
            AutoConfigurations.of(JobsAutoConfiguration.class, JobsWebAutoConfiguration.class);

    private WebApplicationContextRunner web() {
        return new WebApplicationContextRunner()
                .withConfiguration(configurations)
                .withPropertyValues("jobs.database=" + dir.resolve("jobs.db"), "jobs.workers=2");
    }

    @Test
    void byDefaultNoServletIsRegistered() {
        web().run(context -> assertThat(context).doesNotHaveBean(ServletRegistrationBean.class));
    }

    @Test
    void whenEnabledTheServletIsRegisteredAtTheDefaultPath() {
        web().withPropertyValues("jobs.web.enabled=true").run(context -> {
            ServletRegistrationBean<?> registration = context.getBean(ServletRegistrationBean.class);
            assertThat(registration.getServlet()).isInstanceOf(JobsServlet.class);
            assertThat(registration.getUrlMappings()).containsExactly("/jobs/*");
            assertThat(registration.getServletName()).isEqualTo("jobsServlet");
        });
    }

    @Test
    void thePathComesFromTheProperties() {
        web().withPropertyValues("jobs.web.enabled=true", "jobs.web.path=/admin/jobs/*", "jobs.web.token=t")
                .run(context -> {
                    ServletRegistrationBean<?> registration = context.getBean(ServletRegistrationBean.class);
                    assertThat(registration.getUrlMappings()).containsExactly("/admin/jobs/*");
                });
    }

    @Test
    void aPathThatIsNotAPrefixMappingStopsTheApplicationWithTheRule() {
        web().withPropertyValues("jobs.web.enabled=true", "jobs.web.path=/jobs")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("jobs.web.path must start with / and end with /*"));
    }

    @Test
    void withoutJobsWebNothingIsRegisteredEvenWhenEnabled() {
        web().withPropertyValues("jobs.web.enabled=true")
                .withClassLoader(new FilteredClassLoader(JobsServlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(ServletRegistrationBean.class));
    }

    @Test
    void outsideAServletApplicationNothingIsRegisteredEvenWhenEnabled() {
        new ApplicationContextRunner()
                .withConfiguration(configurations)
                .withPropertyValues("jobs.database=" + dir.resolve("jobs.db"), "jobs.web.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ServletRegistrationBean.class));
    }
}
