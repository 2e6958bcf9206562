package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobRegistration;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.registry.JobRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples contain no hand-written registration or services file: the processor made both. */
class ServiceLoaderDiscoveryTest {

    @Test
    @SuppressWarnings("rawtypes") // ServiceLoader takes the raw class of the generic SPI
    void serviceLoaderFindsGeneratedRegistration() {
        assertThat(ServiceLoader.load(JobRegistration.class).stream()
                        .map(p -> p.type().getName()))
                .contains("dev.jobs.examples.ChecksumJob_JobRegistration");
        JobRegistry registry = JobRegistry.load(getClass().getClassLoader());
        assertThat(registry.require("checksum").jobType()).isEqualTo(ChecksumJob.class);
        assertThat(registry.require("checksum").description()).isEqualTo("SHA-256 of a list of files");
    }

    @Test
    void checksumJobRunsByName(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "abc");
        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).build()) {
            JobHandle<?> handle = jobs.dispatchByName(
                    "checksum", "{\"files\":[\"" + file + "\",\"" + dir.resolve("missing") + "\"]}");
            ChecksumJob.Result result = (ChecksumJob.Result) handle.result().get(20, TimeUnit.SECONDS);
            assertThat(result.digests())
                    .containsEntry(file.toString(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(result.failures())
                    .containsOnlyKeys(dir.resolve("missing").toString());
        }
    }
}
