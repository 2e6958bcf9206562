package dev.jobs.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jobctl exec -- CMD ARGS...}: runs an external command as a job (the built-in
 * {@code process} job of jobs-process), printing its output as it comes.
 */
@Command(
        name = "exec",
        description = "Run an external command as a job: its output is the job's log (printed as it comes),"
                + " its exit code the outcome. Ctrl-C pauses the job (the command is stopped, and runs again"
                + " from the start when resumed); --bg runs it in a background worker. Put -- before the command.")
final class ExecCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    JobCtl root;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The program and its arguments (no shell).")
    List<String> command;

    @Option(names = "--bg", description = "Run in a detached background worker and return at once.")
    boolean background;

    @Option(
            names = "--cwd",
            paramLabel = "DIR",
            converter = Tilde.HomeExpanding.class,
            description = "Working directory.")
    Path cwd;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "An environment variable (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = Ages.class,
            description = "Fail if it runs longer, e.g. 30m.")
    Duration timeout;

    @Option(
            names = "--success-codes",
            split = ",",
            paramLabel = "CODES",
            description = "Exit codes that count as success (default 0), e.g. 0,24.")
    List<Integer> successCodes;

    @Option(
            names = "--progress",
            paramLabel = "PARSER",
            description = "Read progress from the output: percent, rsync, json, or a regex with named groups"
                    + " done+total or percent.")
    String progress;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = Ages.class,
            description = "Time between the signals that stop it (default 10s).")
    Duration grace;

    @Override
    public Integer call() throws Exception {
        String params = parameters();
        String name = "process";
        if (background) {
            try (JobManager jobs = root.creatingClient()) {
                JobHandle<?> handle = jobs.dispatchByName(name, params);
                Shared.startBackgroundWorker(root.database, handle.id(), root.out);
                return 0;
            }
        }
        try (JobManager jobs = root.worker(1)) {
            JobHandle<?> handle = jobs.dispatchByName(name, params);
            root.err.println("job " + handle.id() + " (" + String.join(" ", command) + ") started");
            return Shared.followLog(jobs, handle.id(), name, root.out, root.err);
        }
    }

    String parameters() throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.set("command", JSON.valueToTree(command));
        if (cwd != null) {
            p.put("cwd", cwd.toAbsolutePath().toString());
        }
        if (!env.isEmpty()) {
            p.set("env", JSON.valueToTree(env));
        }
        if (timeout != null) {
            p.put("timeoutSeconds", Math.max(1, timeout.toSeconds()));
        }
        if (successCodes != null) {
            p.set("successCodes", JSON.valueToTree(successCodes));
        }
        if (progress != null) {
            p.put("progress", progress);
        }
        if (grace != null) {
            p.put("graceSeconds", grace.toSeconds());
        }
        return JSON.writeValueAsString(p);
    }
}
