package dev.jobs.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.Progress;
import org.junit.jupiter.api.Test;

class ProgressParsersTest {

    @Test
    void aRegexWithDoneAndTotalIsACount() {
        ProgressParser p = ProgressParsers.regex("(?<done>[\\d,]+)/(?<total>[\\d,]+) (?<message>files)");

        assertThat(p.parse("copied 1,200/4,800 files")).contains(Progress.count(1200, 4800, "files"));
        assertThat(p.parse("nothing here")).isEmpty();
        assertThat(p.parse("9/3 files")).as("done beyond total").isEmpty();
    }

    @Test
    void aRegexWithoutTheNamedGroupsIsRefused() {
        assertThatThrownBy(() -> ProgressParsers.regex("(\\d+)/(\\d+)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(?<done>...) and (?<total>...), or (?<percent>...)");
        assertThatThrownBy(() -> ProgressParsers.regex("(?<percent>")).hasMessageContaining("is invalid");
    }

    @Test
    void percentTakesTheLastPercentageOfALine() {
        Progress p = ProgressParsers.percent()
                .parse("step 2: 10% of files, 42.5% of bytes")
                .orElseThrow();

        assertThat(p.fraction().getAsDouble()).isEqualTo(0.425);
        assertThat(ProgressParsers.percent().parse("150%"))
                .as("not a percentage of work")
                .isEmpty();
    }

    @Test
    void rsyncProgress2LinesGiveThePercentageAndTheRateInTheMessage() {
        Progress p = ProgressParsers.rsync()
                .parse("    1,238,099,144  90%   43.07MB/s    0:00:27 (xfr#1, to-chk=0/1)")
                .orElseThrow();

        assertThat(p.fraction().getAsDouble()).isEqualTo(0.9);
        assertThat(((Progress.Count) p).message())
                .isEqualTo("1,238,099,144 bytes, 43.07MB/s, 0:00:27 (xfr#1, to-chk=0/1)");
        assertThat(ProgressParsers.rsync().parse("sending incremental file list"))
                .isEmpty();
    }

    @Test
    void borgJsonLinesGiveCountsAndMessages() {
        ProgressParser p = ProgressParsers.jsonLines();

        assertThat(
                        p.parse(
                                "{\"type\":\"progress_percent\",\"current\":45,\"total\":100,\"message\":\"Checking segments\"}"))
                .contains(Progress.count(45, 100, "Checking segments"));
        assertThat(p.parse("{\"type\":\"archive_progress\",\"nfiles\":12,\"path\":\"/data/a\"}"))
                .contains(Progress.indeterminate("12 files, /data/a"));
        assertThat(p.parse("{\"type\":\"log_message\",\"levelname\":\"INFO\",\"message\":\"hi\"}"))
                .isEmpty();
        assertThat(p.parse("{not json")).isEmpty();
    }
}
