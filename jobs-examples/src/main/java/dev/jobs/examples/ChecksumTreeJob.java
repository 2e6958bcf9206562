package dev.jobs.examples;

import dev.jobs.ChildOutcome;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Hashes every file under a directory by splitting it into {@link ChecksumJob} children of
 * {@code batch} files each, which run on any free worker (of any process on the database), and
 * merging their results: the example of a parent job.
 *
 * <p>It dispatches its children once ({@code split} is saved by the checkpoint right after), then
 * waits for them with {@code ctx.awaitChildren()}, which frees its worker: with one worker the
 * children still run. If the process dies while it dispatches, it resumes from before the split
 * and dispatches the same batches again, getting the children already stored back.
 *
 * <pre>{@code
 * jobctl run checksum-tree '{"root": "~/photos", "batch": 200}'
 * }</pre>
 */
@Job(name = "checksum-tree", description = "SHA-256 of every file under a directory, in child jobs")
public class ChecksumTreeJob implements JobHandler<ChecksumTreeJob.Summary> {

    /** The digests by file, the files that could not be read, and how many child jobs did the work. */
    public record Summary(int children, Map<String, String> digests, Map<String, String> failures) {}

    @Param(description = "Directory whose files to hash")
    Path root;

    @Param(required = false, description = "Files per child job (default 100)")
    int batch = 100;

    boolean split;

    ChecksumTreeJob() {}

    public ChecksumTreeJob(Path root, int batch) {
        this.root = root;
        this.batch = batch;
    }

    @Override
    public Summary run(JobContext ctx) throws Exception {
        if (!split) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be at least 1, not " + batch);
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (int from = 0; from < files.size(); from += batch) {
                ctx.checkInterrupt();
                ctx.dispatchChild(new ChecksumJob(files.subList(from, Math.min(files.size(), from + batch))));
            }
            ctx.log("split " + files.size() + " files into child jobs of up to " + batch);
            split = true;
            ctx.checkpoint();
        }
        List<ChildOutcome> children = ctx.awaitChildren(); // returns once every child has ended
        Map<String, String> digests = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        List<String> failedChildren = new ArrayList<>();
        for (ChildOutcome child : children) {
            child.output(ChecksumJob.Result.class)
                    .ifPresentOrElse(
                            r -> {
                                digests.putAll(r.digests());
                                failures.putAll(r.failures());
                            },
                            () -> failedChildren.add(child.id() + " " + child.status() + ": " + child.error()));
        }
        if (!failedChildren.isEmpty()) {
            throw new IllegalStateException(failedChildren.size() + " of " + children.size()
                    + " child jobs did not complete: " + String.join("; ", failedChildren));
        }
        ctx.progress(Progress.count(children.size(), children.size(), "merged"));
        return new Summary(children.size(), digests, failures);
    }
}
