package dev.jobs.runtime.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim and the next-run-time query read the partial indexes of queued jobs: neither scans the
 * table nor sorts, however many jobs are queued or delayed.
 */
class ClaimQueryPlanTest {

    @TempDir
    Path dir;

    @Test
    void theClaimWalksThePartialIndexOfQueuedJobsInPriorityOrderWithoutSorting() throws SQLException {
        List<String> plan = plan(SqliteJobStore::claimSql);
        assertThat(plan).anyMatch(step -> step.contains("USING INDEX jobs_ready"));
        assertThat(plan).noneMatch(step -> step.matches("SCAN jobs( |$)(?!USING).*"));
        assertThat(plan).noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void theNextRunTimeIsReadFromThePartialIndexOfWaitingJobs() throws SQLException {
        List<String> plan = plan(SqliteJobStore::nextRunAtSql);
        assertThat(plan).anyMatch(step -> step.contains("USING INDEX jobs_waiting"));
        assertThat(plan).noneMatch(step -> step.matches("SCAN jobs( |$)(?!USING).*"));
        assertThat(plan).noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void promotingDueJobsReadsOnlyTheDueRangeOfThePartialIndexOfWaitingJobs() throws SQLException {
        List<String> plan = plan(store -> SqliteJobStore.promoteSql());
        assertThat(plan)
                .anyMatch(step -> step.contains("USING INDEX jobs_waiting (waiting_until>? AND waiting_until<?)"));
        assertThat(plan).noneMatch(step -> step.matches("SCAN jobs( |$)(?!USING).*"));
    }

    @Test
    void theClaimOfALimitedJobWalksItsOwnPartialIndexAndLooksUpHoldersByResource() throws SQLException {
        List<String> plan = plan(SqliteJobStore::claimLimitedSql);
        assertThat(plan).anyMatch(step -> step.contains("USING INDEX jobs_ready_limited"));
        assertThat(plan).anyMatch(step -> step.contains("USING INDEX jobs_running_owner"));
        assertThat(plan).noneMatch(step -> step.matches("SCAN jobs( |$)(?!USING).*"));
        assertThat(plan).noneMatch(step -> step.matches("SCAN (h|r|job_resources)( |$)(?!USING).*"));
    }

    @Test
    void theQueueDepthOfTheMetricsIsCountedOnThePartialIndexOfQueuedJobs() throws SQLException {
        List<String> plan = plan(store -> SqliteJobStore.countQueuedSql());
        assertThat(plan).anyMatch(step -> step.contains("INDEX jobs_ready"));
        assertThat(plan).anyMatch(step -> step.contains("INDEX jobs_ready_limited"));
        assertThat(plan).anyMatch(step -> step.contains("INDEX jobs_waiting"));
        assertThat(plan).noneMatch(step -> step.matches("SCAN jobs( |$)(?!USING).*"));
    }

    private List<String> plan(java.util.function.Function<SqliteJobStore, String> sql) throws SQLException {
        Path file = dir.resolve("jobs.db");
        String text;
        try (SqliteJobStore store =
                SqliteJobStore.open(file, SynchronousMode.NORMAL, Duration.ofSeconds(5), 64, List.of("t.a", "t.b"))) {
            text = sql.apply(store);
        }
        List<String> steps = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + text);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                steps.add(rs.getString("detail"));
            }
        }
        assertThat(steps).as("the plan of %s", text).isNotEmpty();
        System.out.println(text + "\n  " + String.join("\n  ", steps));
        return steps;
    }
}
