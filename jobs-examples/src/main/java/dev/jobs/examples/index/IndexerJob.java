package dev.jobs.examples.index;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.LogLevel;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Indexes every file under a location into a SQLite database of its own.
 *
 * <p>A location that does not exist or is not a directory fails the job before anything is
 * written. Three phases, each with its own share of the progress bar: discovery walks the tree into a
 * queue (0–10%); processing stores path, size and times for each file in batches; in CONTENT and
 * DEEP modes a content phase adds a SHA-256 hash, and in DEEP mode the media type and, for text
 * files, the line count. Each batch is committed to the index together with its phase's marker,
 * and the job checkpoints after every batch, so a resume neither redoes a finished batch nor
 * loses one that was taken but not finished.
 *
 * <pre>{@code
 * jobs.dispatchByName("indexer", "{\"location\": \"/data\", \"index\": \"/tmp/data-index.db\", \"mode\": \"CONTENT\"}");
 * }</pre>
 */
@Job(name = "indexer", description = "Index the files under a location into a SQLite database")
public class IndexerJob implements JobHandler<IndexOutput> {

    /** How much to index. */
    public enum Mode {
        METADATA,
        CONTENT,
        DEEP
    }

    enum Phase {
        NEW,
        DISCOVERY,
        PROCESSING,
        CONTENT,
        DONE
    }

    @Param(description = "Directory to index")
    Path location;

    @Param(description = "SQLite file to write the index to (replaced by a new run)")
    Path index;

    @Param(required = false, description = "METADATA, CONTENT (adds hashes) or DEEP (adds media types and line counts)")
    Mode mode = Mode.METADATA;

    @Param(required = false, description = "Files per batch and checkpoint (default 200)")
    int batchSize = 200;

    @Param(required = false, description = "Pause this long per file, to watch a demo (0 in real use)")
    int throttleMillis;

    // --- state -------------------------------------------------------------------------
    Phase phase = Phase.NEW;
    long discovered;
    long processedUpTo = -1;
    long contentUpTo = -1;
    long batches;

    IndexerJob() {}

    public IndexerJob(Path location, Path index, Mode mode) {
        this.location = location;
        this.index = index;
        this.mode = mode;
    }

    public IndexerJob batchSize(int size) {
        this.batchSize = size;
        return this;
    }

    @Override
    public IndexOutput run(JobContext ctx) throws Exception {
        if (phase == Phase.NEW && !Files.isDirectory(location)) {
            // else the walk would find nothing and the job complete with an empty index
            throw new IOException("location " + location
                    + (Files.exists(location) ? " is not a directory" : " does not exist")
                    + "; give the directory to index");
        }
        try (IndexDatabase db = new IndexDatabase(index)) {
            if (phase == Phase.NEW || phase == Phase.DISCOVERY) {
                discover(ctx, db);
            }
            if (phase == Phase.PROCESSING) {
                processedUpTo = Math.max(processedUpTo, db.marker("processing"));
                runBatches(ctx, db, "processing", this::storeMetadata);
                phase = mode == Mode.METADATA ? Phase.DONE : Phase.CONTENT;
                ctx.checkpoint();
            }
            if (phase == Phase.CONTENT) {
                contentUpTo = Math.max(contentUpTo, db.marker("content"));
                runBatches(ctx, db, "content", this::storeContent);
                phase = Phase.DONE;
                ctx.checkpoint();
            }
            ctx.progress(Progress.count(1000, 1000, "indexed " + discovered + " files"));
            return totals(db);
        }
    }

    /** Walks the tree into the queue, in one transaction; a crash before its commit just walks again. */
    private void discover(JobContext ctx, IndexDatabase db) throws Exception {
        phase = Phase.DISCOVERY;
        ctx.progress(Progress.count(0, 1000, "discovering files under " + location));
        db.reset();
        Connection c = db.connection();
        c.setAutoCommit(false);
        long[] counts = new long[2];
        try (PreparedStatement file = c.prepareStatement("INSERT INTO queue (path) VALUES (?)");
                PreparedStatement dir = c.prepareStatement("INSERT INTO dirs (path) VALUES (?)")) {
            Files.walkFileTree(location, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    ctx.checkInterrupt();
                    insert(dir, d);
                    counts[1]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        insert(file, f);
                        if (++counts[0] % 1000 == 0) {
                            ctx.progress(Progress.count(0, 1000, "discovered " + counts[0] + " files"));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    ctx.log(LogLevel.WARN, "cannot read " + f + ": " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
            db.setMarker("discovery", counts[0]);
            c.commit();
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        discovered = counts[0];
        phase = Phase.PROCESSING;
        ctx.log("discovered " + counts[0] + " files in " + counts[1] + " directories");
        ctx.progress(Progress.count(100, 1000, "discovered " + discovered + " files"));
        ctx.checkpoint();
    }

    private static void insert(PreparedStatement s, Path p) throws IOException {
        try {
            s.setString(1, p.toString());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    @FunctionalInterface
    private interface BatchStep {
        void apply(Connection c, long seq, Path file) throws Exception;
    }

    private void runBatches(JobContext ctx, IndexDatabase db, String phaseName, BatchStep step) throws Exception {
        Connection c = db.connection();
        while (true) {
            ctx.checkInterrupt();
            long from = phaseName.equals("processing") ? processedUpTo : contentUpTo;
            List<Object[]> batch = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement("SELECT seq, path FROM queue WHERE seq > ? ORDER BY seq LIMIT ?")) {
                s.setLong(1, from);
                s.setInt(2, batchSize);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        batch.add(new Object[] {rs.getLong(1), rs.getString(2)});
                    }
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            c.setAutoCommit(false);
            try {
                for (Object[] row : batch) {
                    step.apply(c, (Long) row[0], Path.of((String) row[1]));
                    if (throttleMillis > 0) {
                        Thread.sleep(throttleMillis);
                    }
                }
                long last = (Long) batch.get(batch.size() - 1)[0];
                db.setMarker(phaseName, last);
                c.commit(); // the batch and its marker, together
                if (phaseName.equals("processing")) {
                    processedUpTo = last;
                } else {
                    contentUpTo = last;
                }
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            batches++;
            report(ctx, phaseName);
            ctx.checkpoint();
        }
    }

    private void report(JobContext ctx, String phaseName) {
        boolean content = phaseName.equals("content");
        long done = content ? contentUpTo : processedUpTo;
        double share = discovered == 0 ? 1.0 : Math.min(1.0, (double) done / discovered);
        double start = content ? 0.4 : 0.1;
        double span = content ? 0.6 : (mode == Mode.METADATA ? 0.9 : 0.3);
        long permille = Math.round((start + span * share) * 1000);
        ctx.progress(Progress.count(
                permille, 1000, String.format(Locale.ROOT, "%s: %d/%d files", phaseName, done, discovered)));
    }

    private void storeMetadata(Connection c, long seq, Path file) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT OR REPLACE INTO files (path, size, modified, created, vanished) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, file.toString());
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                s.setLong(2, attrs.size());
                s.setLong(3, attrs.lastModifiedTime().toMillis());
                s.setLong(4, attrs.creationTime().toMillis());
                s.setInt(5, 0);
            } catch (IOException e) {
                s.setNull(2, java.sql.Types.BIGINT);
                s.setNull(3, java.sql.Types.BIGINT);
                s.setNull(4, java.sql.Types.BIGINT);
                s.setInt(5, 1); // it vanished since discovery
            }
            s.executeUpdate();
        }
    }

    private void storeContent(Connection c, long seq, Path file) throws Exception {
        String hash;
        try {
            hash = sha256(file);
        } catch (IOException e) {
            return; // vanished or unreadable: metadata already says so
        }
        String mediaType = null;
        Long lines = null;
        if (mode == Mode.DEEP) {
            mediaType = mediaType(file);
            if (mediaType.startsWith("text/")) {
                lines = countLines(file);
            }
        }
        try (PreparedStatement s =
                c.prepareStatement("UPDATE files SET hash = ?, media_type = ?, lines = ? WHERE path = ?")) {
            s.setString(1, hash);
            s.setString(2, mediaType);
            if (lines == null) {
                s.setNull(3, java.sql.Types.BIGINT);
            } else {
                s.setLong(3, lines);
            }
            s.setString(4, file.toString());
            s.executeUpdate();
        }
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("txt", "text/plain"),
            Map.entry("md", "text/markdown"),
            Map.entry("csv", "text/csv"),
            Map.entry("java", "text/x-java"),
            Map.entry("json", "application/json"),
            Map.entry("xml", "text/xml"),
            Map.entry("html", "text/html"),
            Map.entry("log", "text/plain"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("bin", "application/octet-stream"));

    static String mediaType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static long countLines(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            long n = 0;
            while (reader.readLine() != null) {
                n++;
            }
            return n;
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private IndexOutput totals(IndexDatabase db) throws SQLException {
        return new IndexOutput(
                mode,
                db.count("SELECT count(*) FROM files WHERE vanished = 0"),
                db.count("SELECT count(*) FROM dirs"),
                db.count("SELECT coalesce(sum(size), 0) FROM files"),
                db.count("SELECT count(*) FROM files WHERE hash IS NOT NULL"),
                db.count("SELECT count(*) FROM files WHERE media_type IS NOT NULL"),
                db.count("SELECT count(*) FROM files WHERE lines IS NOT NULL"),
                db.count("SELECT coalesce(sum(lines), 0) FROM files"),
                db.count("SELECT count(*) FROM files WHERE vanished = 1"));
    }
}
