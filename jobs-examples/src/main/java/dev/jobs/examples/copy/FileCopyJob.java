package dev.jobs.examples.copy;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Copies files and directory trees into a destination directory, resuming in the middle of a file.
 *
 * <p>The first run plans the copy (every file with its size). Then, per file, it copies in
 * buffers, and every {@code checkpointBytes} it flushes the partial file to disk and checkpoints
 * the byte offset. A resume checks the partial file against that offset (cuts off bytes written
 * after the checkpoint, or starts the file again if it is shorter) and goes on from there. Each
 * finished file is verified by size, and optionally by SHA-256. A missing source, an unreadable
 * file or a full or read-only destination fails that file, not the job.
 *
 * <pre>{@code
 * jobs.dispatchByName("file_copy", "{\"sources\": [\"/data/photos\"], \"destination\": \"/backup\"}");
 * }</pre>
 */
@Job(name = "file_copy", description = "Copy files and directory trees, resuming mid-file")
public class FileCopyJob implements JobHandler<FileCopyOutput> {

    @Param(description = "Files or directories to copy")
    List<Path> sources;

    @Param(description = "Directory to copy into")
    Path destination;

    @Param(required = false, description = "Also compare SHA-256 checksums of source and copy")
    boolean verifyChecksum;

    @Param(required = false, description = "Bytes between two checkpoints inside a file (default 4 MiB)")
    long checkpointBytes = 4L << 20;

    @Param(required = false, description = "Pause this long after each buffer, to watch a demo (0 in real use)")
    int throttleMillis;

    // --- state -------------------------------------------------------------------------
    List<CopyItem> plan;
    int nextFile;
    long offset;
    int copied;
    long bytesDone;
    long totalBytes;
    long elapsedMillis;
    List<FileCopyOutput.CopyFailure> failures = new ArrayList<>();

    transient long runStartNanos;
    transient long runStartBytes;
    transient long lastCheckpointNanos;

    FileCopyJob() {}

    public FileCopyJob(List<Path> sources, Path destination) {
        this.sources = List.copyOf(sources);
        this.destination = destination;
    }

    public FileCopyJob verifyChecksum(boolean verify) {
        this.verifyChecksum = verify;
        return this;
    }

    public FileCopyJob checkpointBytes(long bytes) {
        this.checkpointBytes = bytes;
        return this;
    }

    @Override
    public FileCopyOutput run(JobContext ctx) throws Exception {
        runStartNanos = System.nanoTime();
        lastCheckpointNanos = runStartNanos;
        if (plan == null) {
            plan = plan(ctx);
            totalBytes = plan.stream().mapToLong(CopyItem::size).sum();
            ctx.log("planned " + plan.size() + " files, " + human(totalBytes));
            checkpoint(ctx);
        } else if (ctx.isResuming()) {
            ctx.log("resuming at file " + (nextFile + 1) + " of " + plan.size() + ", byte " + offset);
        }
        runStartBytes = bytesDone;
        while (nextFile < plan.size()) {
            ctx.checkInterrupt();
            CopyItem item = plan.get(nextFile);
            try {
                copy(ctx, item);
                verify(item);
                copied++;
            } catch (IOException e) {
                String reason = describe(e);
                failures.add(new FileCopyOutput.CopyFailure(item.source(), reason));
                ctx.log(dev.jobs.LogLevel.WARN, "could not copy " + item.source() + ": " + reason);
                bytesDone += item.size() - offset; // count it as handled, so progress still reaches 100%
            }
            nextFile++;
            offset = 0;
            report(ctx, item);
            checkpoint(ctx);
        }
        ctx.log("copied " + copied + " files (" + human(bytesDone) + "), " + failures.size() + " failed");
        return new FileCopyOutput(copied, failures.size(), plan.stream().mapToLong(CopyItem::size).sum()
                - failures.stream().mapToLong(f -> sizeOf(f.path())).sum(), elapsedMillis, List.copyOf(failures));
    }

    private long sizeOf(String source) {
        return plan.stream().filter(i -> i.source().equals(source)).mapToLong(CopyItem::size).findFirst().orElse(0);
    }

    private void checkpoint(JobContext ctx) {
        long now = System.nanoTime();
        elapsedMillis += (now - lastCheckpointNanos) / 1_000_000;
        lastCheckpointNanos = now;
        ctx.checkpoint();
    }

    private List<CopyItem> plan(JobContext ctx) throws IOException {
        List<CopyItem> items = new ArrayList<>();
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                Path base = source.getFileName() == null ? source : source.getFileName();
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                        items.add(new CopyItem(file.toString(), base.resolve(source.relativize(file)).toString(), Files.size(file)));
                    }
                }
            } else if (Files.isRegularFile(source)) {
                items.add(new CopyItem(source.toString(), source.getFileName().toString(), Files.size(source)));
            } else {
                failures.add(new FileCopyOutput.CopyFailure(source.toString(), "source does not exist"));
                ctx.log(dev.jobs.LogLevel.WARN, "source does not exist: " + source);
            }
        }
        return items;
    }

    private void copy(JobContext ctx, CopyItem item) throws IOException {
        Path target = destination.resolve(item.target());
        Files.createDirectories(target.getParent());
        try (FileChannel in = FileChannel.open(Path.of(item.source()), StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (offset > 0) {
                long partial = out.size();
                if (partial < offset) {
                    // the copy is shorter than the checkpoint says: start this file again
                    ctx.log(dev.jobs.LogLevel.WARN, target + " is shorter (" + partial + ") than its checkpoint (" + offset + "); copying it again");
                    bytesDone -= offset;
                    offset = 0;
                }
            }
            out.truncate(offset); // drops bytes written after the last checkpoint, or an old file's content
            in.position(offset);
            out.position(offset);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(4096, Math.min(1 << 20, checkpointBytes)));
            long sinceCheckpoint = 0;
            while (true) {
                ctx.checkInterrupt();
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                offset += n;
                bytesDone += n;
                sinceCheckpoint += n;
                if (throttleMillis > 0) {
                    sleep(throttleMillis);
                }
                report(ctx, item);
                if (sinceCheckpoint >= checkpointBytes && offset < item.size()) {
                    out.force(false); // the bytes the checkpoint counts are on disk first
                    sinceCheckpoint = 0;
                    checkpoint(ctx);
                }
            }
            out.force(true);
        }
    }

    private void verify(CopyItem item) throws IOException {
        Path target = destination.resolve(item.target());
        long size = Files.size(target);
        if (size != item.size()) {
            throw new IOException("size mismatch after copy: expected " + item.size() + " bytes, found " + size);
        }
        if (verifyChecksum && !Arrays.equals(sha256(Path.of(item.source())), sha256(target))) {
            throw new IOException("checksum mismatch after copy");
        }
    }

    private void report(JobContext ctx, CopyItem item) {
        double seconds = Math.max(1e-3, (System.nanoTime() - runStartNanos) / 1e9);
        double rate = (bytesDone - runStartBytes) / seconds;
        long eta = rate > 0 ? (long) ((totalBytes - bytesDone) / rate) : -1;
        String name = Path.of(item.target()).getFileName().toString();
        ctx.progress(Progress.count(bytesDone, totalBytes, String.format(Locale.ROOT, "file %d/%d %s, %s/s%s",
                Math.min(nextFile + 1, plan.size()), plan.size(), name, human((long) rate), eta >= 0 ? ", ETA " + eta + "s" : "")));
    }

    static byte[] sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("No space left")) {
            return "destination is full: " + message;
        }
        if (message.contains("Read-only file system")) {
            return "destination is read-only: " + message;
        }
        return message;
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (unit * 10)), "KMGTPE".charAt(unit - 1));
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
