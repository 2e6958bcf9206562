package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "demo",
        description = "Make a sample tree of files, copy it (pausing and resuming on the way), index the copy, then"
                + " archive it with tar run as a process job.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            converter = Tilde.HomeExpanding.class,
            description = "Where to put the sample files and the demo's database (default: a new temporary directory).")
    Path dir;

    @Option(names = "--quick", description = "Small files and no slow-down (for tests).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("jobs-demo-");
        Path source = base.resolve("photos");
        Path backup = base.resolve("backup");
        Path db = base.resolve("jobs.db");
        root.out.println("== jobs demo in " + base);
        long bytes = makeSampleTree(source);
        root.out.printf("made %s: 3 folders, 48 files, %s%n", source, human(bytes));

        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(2)
                .shutdownTimeout(Duration.ofSeconds(20))
                .build()) {
            WebServer.Running web = WebServer.start(jobs, 0, "127.0.0.1", null, true, java.util.List.of());
            root.out.println("dashboard, while the demo runs (read-only): " + web.url());
            try (AutoCloseable stop = web.server()) {
                return steps(jobs, base, source, backup, db, web.url());
            }
        }
    }

    private int steps(JobManager jobs, Path base, Path source, Path backup, Path db, String dashboard)
            throws Exception {
        {
            root.out.println();
            root.out.println(
                    "== 1. copy it with file_copy (checkpoints every 1 MiB; paused at about 40%, then resumed)");
            String copyParams =
                    "{\"sources\":[\"" + source + "\"],\"destination\":\"" + backup + "\",\"verifyChecksum\":true,"
                            + "\"checkpointBytes\":1048576,\"throttleMillis\":" + (quick ? 0 : 40) + "}";
            JobHandle<?> copy = jobs.dispatchByName("file_copy", copyParams);
            root.out.println("dispatched job " + copy.id());
            AtomicBoolean pauseAsked = new AtomicBoolean();
            watch(jobs, copy.id(), "file_copy", fraction -> {
                if (fraction >= 0.4 && pauseAsked.compareAndSet(false, true)) {
                    new Thread(() -> jobs.pause(copy.id())).start();
                }
            });
            JobInfo paused = jobs.info(copy.id());
            if (paused.status() == JobStatus.PAUSED) {
                root.out.println("paused: status " + paused.status() + " at "
                        + Shared.percent(paused).trim() + ", state saved at the last checkpoint ("
                        + Shared.message(paused) + ")");
                root.out.println("resuming: the job continues from its checkpoint, not from the start");
                jobs.resume(copy.id());
                watch(jobs, copy.id(), "file_copy", fraction -> {});
            }
            JobInfo copied = jobs.info(copy.id());
            root.out.println("file_copy " + copied.status() + " after " + copied.attempt() + " runs: "
                    + copied.output().orElse(copied.error().orElse("")));

            root.out.println();
            root.out.println("== 2. index the copy with indexer (DEEP: metadata, SHA-256, media types, line counts)");
            String indexParams = "{\"location\":\"" + backup + "\",\"index\":\"" + base.resolve("index.db")
                    + "\",\"mode\":\"DEEP\"," + "\"batchSize\":8,\"throttleMillis\":" + (quick ? 0 : 30) + "}";
            JobHandle<?> index = jobs.dispatchByName("indexer", indexParams);
            watch(jobs, index.id(), "indexer", fraction -> {});
            JobInfo indexed = jobs.info(index.id());
            root.out.println("indexer " + indexed.status() + ": "
                    + indexed.output().orElse(indexed.error().orElse("")));

            root.out.println();
            root.out.println(
                    "== 3. archive the copy with tar, run as a job by the built-in process job (jobs-process)");
            String tarParams = new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(java.util.Map.of(
                            "command",
                            java.util.List.of(
                                    "tar",
                                    "-czvf",
                                    base.resolve("backup.tar.gz").toString(),
                                    "-C",
                                    base.toString(),
                                    "backup")));
            JobHandle<?> archive = jobs.dispatchByName("process", tarParams);
            watch(jobs, archive.id(), "process", fraction -> {});
            JobInfo archived = jobs.info(archive.id());
            root.out.println("process " + archived.status() + ": "
                    + (archived.status() == JobStatus.COMPLETED
                            ? "tar exited with 0; its "
                                    + jobs.logs(archive.id(), 0, 10_000).size()
                                    + " log lines are its output (`jobctl log " + archive.id() + "`)"
                            : archived.error().orElse("")));

            root.out.println();
            root.out.println("== the jobs, as `jobctl --db " + db + " list --all` shows them:");
            JobCtl.execute(new String[] {"--db", db.toString(), "list", "--all"}, root.out, root.err);
            root.out.println();
            root.out.println("the demo's dashboard (" + dashboard + ") stops with it; to browse these jobs again:");
            root.out.println("  java -jar jobs-examples/target/jobctl.jar --db " + db
                    + " serve   (then open http://127.0.0.1:8080/)");
            return copied.status() == JobStatus.COMPLETED
                            && indexed.status() == JobStatus.COMPLETED
                            && archived.status() == JobStatus.COMPLETED
                    ? 0
                    : JobCtl.FAILED;
        }
    }

    private void watch(JobManager jobs, UUID id, String name, java.util.function.DoubleConsumer onFraction)
            throws InterruptedException {
        boolean console = System.console() != null;
        Shared.watch(jobs, id, name, root.err, console, console ? null : root.out, onFraction);
    }

    private long makeSampleTree(Path source) throws Exception {
        Random random = new Random(42);
        long total = 0;
        String[] folders = {"2024-summer", "2025-winter", "notes"};
        for (String folder : folders) {
            Path d = Files.createDirectories(source.resolve(folder));
            for (int i = 0; i < 15; i++) {
                StringBuilder text = new StringBuilder();
                int lines = 20 + random.nextInt(200);
                for (int l = 0; l < lines; l++) {
                    text.append("line ")
                            .append(l)
                            .append(" of ")
                            .append(folder)
                            .append(" note ")
                            .append(i)
                            .append('\n');
                }
                total += Files.write(
                                d.resolve("note-" + i + ".txt"), text.toString().getBytes(StandardCharsets.UTF_8))
                        .toFile()
                        .length();
            }
            byte[] photo = new byte[quick ? 64 * 1024 : 6 * 1024 * 1024];
            random.nextBytes(photo);
            total += Files.write(d.resolve("photo.jpg"), photo).toFile().length();
        }
        return total;
    }

    private static String human(long bytes) {
        return bytes < 1 << 20
                ? (bytes >> 10) + " KiB"
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
