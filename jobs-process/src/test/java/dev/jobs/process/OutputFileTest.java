package dev.jobs.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {

    @TempDir
    Path dir;

    private final List<String> seen = new ArrayList<>();

    private final OutputFile.Sink sink = (text, update, dropped) ->
            seen.add((update ? "update:" : "line:") + text + (dropped > 0 ? "+" + dropped : ""));

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void splitsLinesAtNewlinesAndUpdatesAtLoneCarriageReturns() throws Exception {
        Path file = dir.resolve("out");
        append(file, "a\r\nb\n10%\r20%\rdone\n");
        OutputFile out = new OutputFile(file, 0, 100);

        out.read(sink);

        assertThat(seen).containsExactly("line:a", "line:b", "update:10%", "update:20%", "line:done");
    }

    @Test
    void aLineWrittenInPiecesIsOneLineAndTheReadPositionStaysAtItsStart() throws Exception {
        Path file = dir.resolve("out");
        append(file, "first\nsec");
        OutputFile out = new OutputFile(file, 0, 100);
        out.read(sink);
        assertThat(out.consumed()).as("where a resumed job reads on").isEqualTo(6);

        append(file, "ond\n");
        out.read(sink);

        assertThat(seen).containsExactly("line:first", "line:second");
        assertThat(out.consumed()).isEqualTo(13);
    }

    @Test
    void aResumedReaderStartsAtTheCheckpointedPosition() throws Exception {
        Path file = dir.resolve("out");
        append(file, "old\nnew\n");

        new OutputFile(file, 4, 100).read(sink);

        assertThat(seen).containsExactly("line:new");
    }

    @Test
    void aLongLineIsCutAndCountsWhatWasDropped() throws Exception {
        Path file = dir.resolve("out");
        append(file, "x".repeat(30) + "\n");
        OutputFile out = new OutputFile(file, 0, 16);

        out.read(sink);

        assertThat(seen).containsExactly("line:" + "x".repeat(16) + "+14");
    }

    @Test
    void theLastLineWithoutANewlineIsEmittedAtTheEnd() throws Exception {
        Path file = dir.resolve("out");
        append(file, "tail");
        OutputFile out = new OutputFile(file, 0, 100);
        out.read(sink);
        assertThat(seen).isEmpty();

        out.finish(sink);

        assertThat(seen).containsExactly("line:tail");
    }

    @Test
    void aLineLongerThanTwoGibibytesCountsAllItsDroppedBytesAndKeepsTheReadPositionRight() throws Exception {
        Path file = dir.resolve("out");
        long length = (1L << 31) + 1_000; // sparse: no disk space
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
        append(file, "\nnext\n");
        OutputFile out = new OutputFile(file, 0, 16);

        while (out.read(sink)) {
            // the whole file, 1 MiB at a time
        }

        assertThat(seen).containsExactly("line:" + "\0".repeat(16) + "+" + (length - 16), "line:next");
        assertThat(out.consumed()).as("where a resumed job reads on").isEqualTo(length + 6);
    }

    @Test
    void aProgressUpdateIsGivenAsSoonAsItsCarriageReturnIsRead() throws Exception {
        Path file = dir.resolve("out");
        append(file, "10%\r50%\r");
        OutputFile out = new OutputFile(file, 0, 100);

        out.read(sink);

        assertThat(seen)
                .as("the last update, though nothing follows it yet (the tool may write nothing for long)")
                .containsExactly("update:10%", "update:50%");
    }

    @Test
    void aLineEndedByCarriageReturnAndNewlineReadInTwoPiecesIsStillLogged() throws Exception {
        Path file = dir.resolve("out");
        append(file, "done\r");
        OutputFile out = new OutputFile(file, 0, 100);
        out.read(sink);
        append(file, "\nnext\n");

        out.read(sink);

        assertThat(seen).contains("line:done", "line:next");
        assertThat(out.consumed()).isEqualTo(11);
    }
}
