package dev.jobs.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.InvalidParametersException;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messages docs/writing-jobs.md promises for refused {@code dispatchByName} JSON ("By name,
 * with JSON") are the ones the runtime gives: every row of its table is dispatched to the page's
 * {@code thumbnails} job ({@link ThumbnailJob}), and the schema the page shows for that job is
 * the one the processor generates.
 */
class DispatchMessagesDocTest {

    private static final String PREFIX = "invalid parameters for job 'thumbnails'";
    private static final Pattern ROW = Pattern.compile("^\\| `(.*)` \\| `([^`]*)`.*\\|$");
    private static final Pattern FIELD = Pattern.compile("^, field '([^']*)': ");

    @TempDir
    Path dir;

    record Row(int line, String input, String message) {}

    @Test
    void everyMessageOfTheTableIsTheOneTheRuntimeGives() throws Exception {
        List<Row> rows = table();
        assertThat(rows).as("rows of the table in writing-jobs.md").hasSizeGreaterThan(10);
        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).client().build()) {
            for (Row row : rows) {
                String where = "writing-jobs.md:" + row.line() + ": " + row.input();
                Matcher field = FIELD.matcher(row.message());
                assertThatThrownBy(() -> jobs.dispatchByName("thumbnails", row.input()))
                        .as(where)
                        .isInstanceOfSatisfying(InvalidParametersException.class, e -> {
                            assertThat(e.getMessage()).as(where).isEqualTo(PREFIX + row.message());
                            assertThat(e.field()).as(where).isEqualTo(field.find() ? field.group(1) : null);
                        });
            }
            assertThat(jobs.list(JobQuery.all()))
                    .as("refused dispatches store nothing")
                    .isEmpty();
        }
    }

    @Test
    void theSchemaShownIsTheGeneratedOne() throws Exception {
        String page = Files.readString(DocSnippetsTest.repositoryRoot().resolve("docs/writing-jobs.md"));
        String shown = Markdown.blocks("docs/writing-jobs.md", page).stream()
                .filter(b -> b.language().equals("json") && b.text().contains("\"title\": \"thumbnails\""))
                .findFirst()
                .orElseThrow()
                .text();
        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).client().build()) {
            ObjectMapper json = new ObjectMapper();
            assertThat(json.readTree(jobs.schema("thumbnails"))).isEqualTo(json.readTree(shown));
        }
    }

    private static List<Row> table() throws Exception {
        List<String> lines = Files.readAllLines(DocSnippetsTest.repositoryRoot().resolve("docs/writing-jobs.md"));
        int header = lines.indexOf("| input | message (after `" + PREFIX + "`) |");
        assertThat(header).as("the table's header in writing-jobs.md").isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            assertThat(m.matches())
                    .as("writing-jobs.md:" + (i + 1) + " is a row: input | message")
                    .isTrue();
            rows.add(new Row(i + 1, m.group(1), m.group(2)));
        }
        return rows;
    }
}
