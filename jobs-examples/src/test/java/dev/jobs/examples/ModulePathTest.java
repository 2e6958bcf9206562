package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.examples.cli.JobCtl;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library on the module path: jobs-runtime and jobs-api as named modules (their descriptors
 * export only the public packages), the sample jobs and jobctl as an automatic module, in a real
 * child JVM that copies a real file.
 */
class ModulePathTest {

    /** The jars (or class directories) the examples need at run time, without the test libraries. */
    private static final List<String> RUNTIME = List.of(
            "jobs-runtime",
            "jobs-api",
            "jackson-",
            "msgpack-core",
            "sqlite-jdbc",
            "jooq",
            "r2dbc-spi",
            "reactive-streams",
            "cron-utils",
            "slf4j-api",
            "slf4j-simple",
            "picocli",
            "progressbar",
            "jline-");

    @TempDir
    Path dir;

    @Test
    void jobctlRunsAJobWithTheRuntimeAsANamedModule() throws Exception {
        Path examples = Path.of(
                JobCtl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> modulePath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalized = entry.replace(File.separatorChar, '/');
            if (RUNTIME.stream().anyMatch(normalized::contains) && !normalized.contains("test-classes")) {
                modulePath.add(entry);
            }
        }
        assertThat(modulePath).anyMatch(e -> e.contains("jobs-runtime"));
        // the examples' classes, as an automatic module (a jar: a directory cannot be one)
        modulePath.add(jar(examples, dir.resolve("jobs-examples.jar")).toString());

        Path source = Files.writeString(dir.resolve("a.txt"), "hello from the module path");
        Path target = dir.resolve("out");
        String params = "{\"sources\":[\"" + json(source) + "\"],\"destination\":\"" + json(target) + "\"}";
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-p",
                        String.join(File.pathSeparator, modulePath),
                        "--add-modules",
                        "ALL-MODULE-PATH",
                        "-m",
                        "jobs.examples/" + JobCtl.class.getName(),
                        "--db",
                        dir.resolve("jobs.db").toString(),
                        "run",
                        "file_copy",
                        "--no-progress",
                        "--params",
                        params)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("completed");
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("hello from the module path");
        assertThat(modulePath.stream()
                        .map(e -> Path.of(e).getFileName().toString())
                        .collect(Collectors.joining(" ")))
                .doesNotContain("junit");
    }

    private static String json(Path p) {
        return p.toString().replace("\\", "\\\\");
    }

    private static Path jar(Path classes, Path jar) {
        if (Files.isRegularFile(classes)) {
            return classes; // already the packaged jar
        }
        int exit = java.util.spi.ToolProvider.findFirst("jar")
                .orElseThrow()
                .run(System.out, System.err, "--create", "--file", jar.toString(), "-C", classes.toString(), ".");
        assertThat(exit).isZero();
        return jar;
    }
}
