package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.JobQuery;
import dev.jobs.runtime.events.JobEvent;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Whether the process that runs a RUNNING job is still there.
 *
 * <p>The runtime records a RUNNING job's owner ({@link JobInfo#owner()}, an id per manager), and
 * a manager that runs jobs recognises a dead owner by its process id and lease; but its public API
 * tells a client neither which process an owner id is nor whether it is alive. So jobctl keeps its
 * own record: a jobctl process that runs jobs learns its owner id from the first job it runs (the
 * owner of a job RUNNING here is this process) and writes {@code logs/owners/<owner id>} beside the
 * database with its host, process id and start time. {@code list} and {@code status} read it for a
 * RUNNING job: when that process has ended (on this host), the job's owner is gone and the job
 * resumes from its last checkpoint when a worker next opens the database. Jobs run by other
 * programs have no record and are never marked.
 */
final class Owners {
    private Owners() {}

    /** Builds the manager, recording its owner id once it runs a job; the record is removed when jobctl ends normally. */
    static JobManager recording(JobManagerBuilder builder, JobsDatabase database, List<Runnable> atEnd) {
        AtomicReference<JobManager> manager = new AtomicReference<>();
        AtomicReference<Path> record = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        builder.listener(event -> {
            boolean runsHere = event instanceof JobEvent.Started
                    || event instanceof JobEvent.ProgressUpdated
                    || event instanceof JobEvent.Checkpointed
                    || event instanceof JobEvent.Logged;
            JobManager jobs = manager.get();
            if (!runsHere || jobs == null || done.get()) {
                return;
            }
            try {
                JobInfo info = jobs.info(event.jobId());
                synchronized (record) {
                    if (info.status() == JobStatus.RUNNING
                            && info.owner().isPresent()
                            && done.compareAndSet(false, true)) {
                        record.set(write(database, info.owner().get()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no record: list cannot tell whether this process is gone, and marks nothing
            }
        });
        JobManager jobs = builder.build();
        manager.set(jobs);
        atEnd.add(() -> {
            synchronized (record) {
                done.set(true); // no record after this
                Path file = record.get();
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // left behind: clean removes it
                    }
                }
            }
        });
        return jobs;
    }

    static Path directory(JobsDatabase database) {
        return Shared.logsDirectory(database).resolve("owners");
    }

    private static Path write(JobsDatabase database, String owner) throws IOException {
        Path dir = Shared.privateDirectory(directory(database));
        Properties p = new Properties();
        ProcessHandle self = ProcessHandle.current();
        p.setProperty("pid", Long.toString(self.pid()));
        p.setProperty("host", hostName());
        self.info().startInstant().ifPresent(t -> p.setProperty("started", Long.toString(t.toEpochMilli())));
        Path file = dir.resolve(owner);
        Path temporary = dir.resolve(owner + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(temporary);
        }
        try (Writer w = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            p.store(w, "the jobctl process that runs the jobs of owner " + owner);
        }
        return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Why the owner of this job is gone ({@code "process 1234 ended"}), or empty: the job is not
     * RUNNING, its owner's process is alive, or jobctl has no record of it (another program, or
     * another host).
     */
    static Optional<String> gone(JobsDatabase database, JobInfo job) {
        if (job.status() != JobStatus.RUNNING || job.owner().isEmpty()) {
            return Optional.empty();
        }
        return gone(directory(database).resolve(job.owner().get()));
    }

    private static Optional<String> gone(Path record) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // no record (or an unreadable one): unknown
        }
        if (!hostName().equals(p.getProperty("host"))) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(p.getProperty("pid", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        String started = p.getProperty("started");
        if (process.isPresent() && started != null) {
            Optional<Instant> now = process.get().info().startInstant();
            if (now.isPresent() && !Long.toString(now.get().toEpochMilli()).equals(started)) {
                process = Optional.empty(); // the pid was reused by another process
            }
        }
        return process.isPresent() ? Optional.empty() : Optional.of("process " + pid + " ended");
    }

    /** Deletes the records of processes that have ended and own no RUNNING job any more. */
    static void prune(JobsDatabase database, JobManager jobs) throws IOException {
        Path dir = directory(database);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> owning = new HashSet<>();
        for (JobInfo job : jobs.list(JobQuery.all().statuses(JobStatus.RUNNING).limit(10_000))) {
            job.owner().ifPresent(owning::add);
        }
        List<Path> records;
        try (Stream<Path> files = Files.list(dir)) {
            records = files.toList();
        }
        for (Path record : records) {
            String owner = record.getFileName().toString();
            if (!owner.endsWith(".tmp")
                    && !owning.contains(owner)
                    && gone(record).isPresent()) {
                Files.deleteIfExists(record);
            }
        }
    }

    private static volatile String hostName;

    /** This machine's name, as the runtime records it with an owner ({@code dev.jobs.host} overrides it). */
    private static String hostName() {
        String name = hostName;
        if (name == null) {
            name = lookUpHostName();
            hostName = name;
        }
        return name;
    }

    private static String lookUpHostName() {
        String override = System.getProperty("dev.jobs.host");
        if (override != null && !override.isBlank()) {
            return override;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
