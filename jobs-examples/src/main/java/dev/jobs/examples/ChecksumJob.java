package dev.jobs.examples;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the SHA-256 of each file in a list. Resumable per file: the digests done so far and the
 * index of the next file are its state, so after a crash it continues with the next file. A file
 * that cannot be read is listed under {@code failures}; if there was at least one file and none
 * could be read, the job fails instead.
 *
 * <pre>{@code
 * jobs.dispatchByName("checksum", "{\"files\": [\"/etc/hosts\", \"/etc/passwd\"]}");
 * }</pre>
 */
@Job(name = "checksum", description = "SHA-256 of a list of files")
public class ChecksumJob implements JobHandler<ChecksumJob.Result> {

    /** The digests by file, and the files that could not be read with the reason. */
    public record Result(Map<String, String> digests, Map<String, String> failures) {}

    @Param(description = "Files to hash")
    List<Path> files;

    int next;
    Map<String, String> digests = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();

    ChecksumJob() {}

    public ChecksumJob(List<Path> files) {
        this.files = List.copyOf(files);
    }

    @Override
    public Result run(JobContext ctx) throws Exception {
        if (ctx.isResuming()) {
            ctx.log("resuming at file " + (next + 1) + " of " + files.size());
        }
        while (next < files.size()) {
            ctx.checkInterrupt();
            Path file = files.get(next);
            try {
                digests.put(file.toString(), sha256(file));
            } catch (java.io.IOException e) {
                failures.put(file.toString(), e.toString());
            }
            next++;
            ctx.progress(Progress.count(next, files.size(), file.getFileName().toString()));
            ctx.checkpoint();
        }
        if (digests.isEmpty() && !failures.isEmpty()) {
            throw new java.io.IOException(allFailed());
        }
        return new Result(digests, failures);
    }

    /** The error of a run in which no file could be read: how many, the first few with their reason. */
    private String allFailed() {
        StringBuilder message = new StringBuilder(
                failures.size() == 1
                        ? "the only file could not be hashed: "
                        : "none of the " + failures.size() + " files could be hashed: ");
        int shown = 0;
        for (Map.Entry<String, String> f : failures.entrySet()) {
            if (shown == 3) {
                message.append("; and ").append(failures.size() - shown).append(" more");
                break;
            }
            message.append(shown++ == 0 ? "" : "; ")
                    .append(f.getKey())
                    .append(" (")
                    .append(f.getValue())
                    .append(')');
        }
        return message.append(". Check that the files exist and are readable").toString();
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
