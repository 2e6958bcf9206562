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
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies files and directory trees into a destination directory, resuming in the middle of a file.
 *
 * <p>The first run plans the copy (every file with its size). Then, per file, it copies in
 * buffers, and every {@code checkpointBytes} it flushes the partial file to disk and checkpoints
 * the byte offset. A resume checks the partial file against that offset (cuts off bytes written
 * after the checkpoint, or starts the file again if it is shorter) and goes on from there. Each
 * finished file is verified by size, and optionally by SHA-256. A missing source, an unreadable
 * file or a full or read-only destination fails that file, not the job: the job completes and its
 * output lists the failures. If there was at least one file and every one of them failed, the job
 * fails instead, with a message that lists the first failures.
 *
 * <p>Safety: before it writes anything, the planning step refuses the whole copy (the job fails,
 * nothing on disk is touched) when
 * <ul>
 *   <li>a target would be the source file itself (for example {@code sources: ["D/photos"]} with
 *       {@code destination: "D"}, which would truncate every photo): checked with
 *       {@link Files#isSameFile} when the target exists (this also catches hard links) and by
 *       comparing the real paths (symbolic links resolved) otherwise;</li>
 *   <li>the destination, or a target, is inside a source directory (copying a tree into itself);</li>
 *   <li>a source ends in {@code ..} or {@code .} (or is a root such as {@code /}), or a target would
 *       be outside the destination once the path is normalised: name the directory itself instead,
 *       its files are copied under its name.</li>
 * </ul>
 * The error names the path and says what to do.
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
            int number = nextFile + 1; // 1-based, for the progress message
            try {
                copy(ctx, item, number);
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
            report(ctx, item, number); // this file is done: still "file <number>/<total>", not the next one's number
            checkpoint(ctx);
        }
        ctx.log("copied " + copied + " files (" + human(bytesDone) + "), " + failures.size() + " failed");
        if (copied == 0 && !failures.isEmpty()) {
            throw new IOException(allFailed());
        }
        return new FileCopyOutput(
                copied,
                failures.size(),
                plan.stream().mapToLong(CopyItem::size).sum()
                        - failures.stream().mapToLong(f -> sizeOf(f.path())).sum(),
                elapsedMillis,
                List.copyOf(failures));
    }

    /** The error of a copy in which every file failed: how many, the first few with their reason, what to check. */
    private String allFailed() {
        int shown = Math.min(3, failures.size());
        StringBuilder message = new StringBuilder(
                failures.size() == 1
                        ? "the only file could not be copied: "
                        : "none of the " + failures.size() + " files could be copied: ");
        for (int i = 0; i < shown; i++) {
            FileCopyOutput.CopyFailure f = failures.get(i);
            message.append(i == 0 ? "" : "; ")
                    .append(f.path())
                    .append(" (")
                    .append(f.reason())
                    .append(')');
        }
        if (failures.size() > shown) {
            message.append("; and ").append(failures.size() - shown).append(" more");
        }
        return message.append(". Check that the sources exist and are readable and that the destination ")
                .append(destination)
                .append(" is a writable directory with free space")
                .toString();
    }

    private long sizeOf(String source) {
        return plan.stream()
                .filter(i -> i.source().equals(source))
                .mapToLong(CopyItem::size)
                .findFirst()
                .orElse(0);
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
                Path base = baseName(source);
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path file :
                            (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                        items.add(new CopyItem(
                                file.toString(),
                                base.resolve(source.relativize(file)).toString(),
                                Files.size(file)));
                    }
                }
            } else if (Files.isRegularFile(source)) {
                items.add(new CopyItem(source.toString(), baseName(source).toString(), Files.size(source)));
            } else {
                failures.add(new FileCopyOutput.CopyFailure(source.toString(), "source does not exist"));
                ctx.log(dev.jobs.LogLevel.WARN, "source does not exist: " + source);
            }
        }
        refuseUnsafe(items);
        return items;
    }

    /** The name a source is copied under; refuses one that has no name of its own ("..", ".", a root). */
    private Path baseName(Path source) {
        Path name = source.getFileName();
        String text = name == null ? "" : name.toString();
        if (text.isEmpty() || text.equals(".") || text.equals("..")) {
            String why = name == null ? "is a root" : text.isEmpty() ? "is empty" : "ends in '" + text + "'";
            throw new IllegalArgumentException("refusing to copy: source '" + source + "' " + why
                    + ", so its files would be copied outside destination " + destination
                    + " or without a name of their own;"
                    + " name the directory itself instead (for example '"
                    + source.toAbsolutePath().normalize() + "')");
        }
        return name;
    }

    /**
     * Throws, before anything is written, if the copy would write over a source or into a source
     * directory, or outside the destination. Symbolic links are resolved for the comparison, and
     * existing targets are compared with their source by file identity, which also catches hard links.
     */
    private void refuseUnsafe(List<CopyItem> items) throws IOException {
        Path destinationNormal = destination.toAbsolutePath().normalize();
        Path destinationReal = real(destination);
        List<Path> sourceDirectories = new ArrayList<>();
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                Path normal = source.toAbsolutePath().normalize();
                Path real = source.toRealPath();
                if (destinationNormal.startsWith(normal) || destinationReal.startsWith(real)) {
                    String where =
                            destinationReal.equals(real) ? " is source directory " : " is inside source directory ";
                    throw new IllegalArgumentException("refusing to copy: destination " + destination + where + source
                            + ", so the tree would be copied into itself; choose a destination outside " + source);
                }
                sourceDirectories.add(real);
            }
        }
        Map<Object, String> sourceFiles = new HashMap<>(); // by file identity, by normalised path and by real path
        for (CopyItem item : items) {
            Path source = Path.of(item.source());
            sourceFiles.put(identity(source), item.source());
            sourceFiles.put(source.toAbsolutePath().normalize(), item.source());
            sourceFiles.put(source.toRealPath(), item.source());
        }
        for (CopyItem item : items) {
            Path source = Path.of(item.source());
            Path target = destination.resolve(item.target());
            Path targetNormal = target.toAbsolutePath().normalize();
            if (!targetNormal.startsWith(destinationNormal) || targetNormal.equals(destinationNormal)) {
                throw new IllegalArgumentException(
                        "refusing to copy: target " + target + " of source " + source + " would be outside destination "
                                + destination + "; name the source directories and files themselves, without '..'");
            }
            Path targetReal = real(target);
            String overwritten = null;
            if (Files.exists(target)) {
                overwritten = Files.isSameFile(target, source) ? item.source() : sourceFiles.get(identity(target));
            }
            if (overwritten == null) {
                overwritten = sourceFiles.getOrDefault(targetNormal, sourceFiles.get(targetReal));
            }
            if (overwritten != null) {
                throw new IllegalArgumentException(
                        "refusing to copy: target " + target + " is the source file " + overwritten
                                + " itself, and copying would destroy it; choose a destination outside the sources, for example a new directory");
            }
            for (Path directory : sourceDirectories) {
                if (targetReal.startsWith(directory)) {
                    throw new IllegalArgumentException(
                            "refusing to copy: target " + target + " is inside source directory " + directory
                                    + ", so the tree would be copied into itself; choose a destination outside the sources");
                }
            }
        }
    }

    /** What makes two paths the same file: the file key (device and inode) where there is one, else the real path. */
    private static Object identity(Path existing) throws IOException {
        Object key = Files.readAttributes(existing, BasicFileAttributes.class).fileKey();
        return key != null ? key : existing.toRealPath();
    }

    /**
     * The real path of a file that may not exist yet: the real path of its nearest existing
     * ancestor (symbolic links and {@code ..} resolved by the file system) with the rest normalised.
     */
    private static Path real(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute.normalize();
        }
        return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    }

    private void copy(JobContext ctx, CopyItem item, int number) throws IOException {
        Path target = destination.resolve(item.target());
        Files.createDirectories(target.getParent());
        try (FileChannel in = FileChannel.open(Path.of(item.source()), StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (offset > 0) {
                long partial = out.size();
                if (partial < offset) {
                    // the copy is shorter than the checkpoint says: start this file again
                    ctx.log(
                            dev.jobs.LogLevel.WARN,
                            target + " is shorter (" + partial + ") than its checkpoint (" + offset
                                    + "); copying it again");
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
                report(ctx, item, number);
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

    /** Progress in bytes, with the message "file NUMBER/TOTAL NAME, RATE/s, ETA Ns" about {@code item}, the NUMBER-th file. */
    private void report(JobContext ctx, CopyItem item, int number) {
        double seconds = Math.max(1e-3, (System.nanoTime() - runStartNanos) / 1e9);
        double rate = (bytesDone - runStartBytes) / seconds;
        long eta = rate > 0 ? (long) ((totalBytes - bytesDone) / rate) : -1;
        String name = Path.of(item.target()).getFileName().toString();
        ctx.progress(Progress.count(
                bytesDone,
                totalBytes,
                String.format(
                        Locale.ROOT,
                        "file %d/%d %s, %s/s%s",
                        number,
                        plan.size(),
                        name,
                        human((long) rate),
                        eta >= 0 ? ", ETA " + eta + "s" : "")));
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
