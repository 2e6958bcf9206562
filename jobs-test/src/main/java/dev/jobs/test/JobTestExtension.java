package dev.jobs.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The JUnit 5 extension behind {@link JobTest}: resolves {@link JobHarness} parameters. */
public final class JobTestExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(JobTestExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == JobHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "harness",
                        k -> {
                            try {
                                return new CloseableHarness(JobHarness.create(Files.createTempDirectory("jobs-test-")));
                            } catch (IOException e) {
                                throw new ParameterResolutionException(
                                        "cannot create a temporary directory for the job harness", e);
                            }
                        },
                        CloseableHarness.class)
                .harness;
    }

    /** Closed by JUnit when the test's context ends. */
    @SuppressWarnings(
            "deprecation") // CloseableResource: what JUnit 5 versions before 5.13 close; newer ones close it too
    private record CloseableHarness(JobHarness harness)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws IOException {
            harness.close();
            try (Stream<Path> paths = Files.walk(harness.directory())) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    if (!p.toFile().delete()) {
                        System.err.println("jobs-test: could not delete " + p);
                    }
                });
            }
        }
    }
}
