package dev.jobs.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One output stream of a command, read from the file it is redirected to. A file rather than a
 * pipe: the command never blocks on a full pipe however slowly the job reads, and its output
 * outlives the JVM, so that a job resumed after a crash reads on from where it left off.
 *
 * <p>Splits what it reads into lines at {@code \n} (a {@code \r\n} counts once) and into updates
 * at a lone {@code \r}, which is how progress meters redraw one line. A line longer than the
 * limit is cut at it; the rest of it is counted and dropped.
 */
final class OutputFile {

    interface Sink {
        /** A complete line ({@code update} false) or a redrawn progress line ({@code update} true). */
        void accept(String text, boolean update, long droppedCharacters);
    }

    private static final int READ = 1 << 20;

    private final Path file;
    private final int maxLine;
    private long offset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long droppedInLine;
    private boolean carriageReturn;
    private boolean previewed; // the text before the pending \r was given as an update already

    OutputFile(Path file, long offset, int maxLine) {
        this.file = file;
        this.offset = offset;
        this.maxLine = maxLine;
    }

    /** Bytes read into complete lines: where to start again after a restart. */
    long consumed() {
        return offset - partial.size() - droppedInLine - (carriageReturn ? 1 : 0);
    }

    /** Reads what has been written since the last call (at most 1 MiB); returns whether it read anything. */
    boolean read(Sink sink) throws IOException {
        return read(sink, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(Sink)}, but not past byte {@code end} of the file: what a process that is
     * not the command's (one that left its process group) writes afterwards cannot keep the
     * reader going for ever.
     */
    boolean read(Sink sink, long end) throws IOException {
        int n;
        ByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long available = Math.min(channel.size(), end) - offset;
            if (available <= 0) {
                return false;
            }
            buffer = ByteBuffer.allocate((int) Math.min(READ, available));
            n = channel.read(buffer, offset);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (n <= 0) {
            return false;
        }
        offset += n;
        byte[] bytes = buffer.array();
        for (int i = 0; i < n; i++) {
            byte b = bytes[i];
            if (carriageReturn) {
                carriageReturn = false;
                boolean given = previewed;
                previewed = false;
                if (b == '\n') {
                    emit(sink, false, true); // \r\n ends a line
                    continue;
                }
                emit(sink, true, !given); // a lone \r: the line was redrawn
            }
            if (b == '\n') {
                emit(sink, false, true);
            } else if (b == '\r') {
                carriageReturn = true;
            } else if (partial.size() < maxLine * 4) { // bytes: up to 4 per character in UTF-8
                partial.write(b);
            } else { // past the limit: skip to the end of the line at once
                int lineEnd = i;
                while (lineEnd < n && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r') {
                    lineEnd++;
                }
                droppedInLine += lineEnd - i;
                i = lineEnd - 1;
            }
        }
        if (carriageReturn && !previewed) {
            // a progress meter's last redraw: given now, as the tool may write nothing more for
            // long; kept, to be logged as a line if a \n follows the \r
            previewed = true;
            String text = partial.toString(StandardCharsets.UTF_8);
            sink.accept(text.length() > maxLine ? text.substring(0, maxLine) : text, true, 0);
        }
        return true;
    }

    /** Emits what is left after the command ended, as a last line. */
    void finish(Sink sink) {
        if (partial.size() > 0 || droppedInLine > 0 || carriageReturn) {
            carriageReturn = false;
            previewed = false;
            emit(sink, false, true);
        }
    }

    /** Gives the text read since the last line end to {@code sink} (unless {@code give} is false) and starts anew. */
    private void emit(OutputFile.Sink sink, boolean update, boolean give) {
        if (!give) {
            partial.reset();
            droppedInLine = 0;
            return;
        }
        String text = partial.toString(StandardCharsets.UTF_8);
        long dropped = droppedInLine;
        if (text.length() > maxLine) {
            dropped += text.length() - maxLine;
            text = text.substring(0, maxLine);
        }
        partial.reset();
        droppedInLine = 0;
        sink.accept(text, update, dropped);
    }

    /** The size of the file now (0 when it is gone). */
    long size() throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Whether the file exists (the command's wrapper creates it when the command starts). */
    boolean exists() {
        return Files.exists(file);
    }
}
