package dev.jobs.docs;

import dev.jobs.JobContext;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.test.JobHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the documentation's code fragments take as given: the names they use without declaring
 * them ({@code jobs}, {@code id}, {@code ctx}, ...) and the application code they call
 * ({@code AppServices}, {@code payments}, ...). A fragment is compiled as the body of a class
 * {@code Main} that extends this one; see {@link DocSnippetsTest}. Nothing here runs.
 */
public abstract class DocContext {

    // ------------------------------------------------------------------ the library's objects

    /** A manager, as in {@code try (JobManager jobs = JobManager.builder()...build())}. */
    protected JobManager jobs;

    /** The id of some job. */
    protected UUID id;

    /** A handle of some job. */
    protected JobHandle<?> handle;

    /** The context of the run, inside a job's {@code run(JobContext ctx)}. */
    protected JobContext ctx;

    /** The harness, in a test method's {@code (JobHarness harness)} parameter. */
    protected JobHarness harness;

    /** The database file. */
    protected Path db;

    /** The database file, under another name. */
    protected Path path;

    /** Parameters in JSON, as {@code dispatchByName} takes them. */
    protected String json;

    // ------------------------------------------------------------------ a job's own fields and steps

    protected int next;
    protected List<Path> files = new ArrayList<>();
    protected List<Path> sources = new ArrayList<>();
    protected Path target;
    protected Path file;
    protected List<String> items = new ArrayList<>();
    protected List<Integer> done = new ArrayList<>();
    protected List<String> rows = new ArrayList<>();
    protected int failedRows;

    /** The exception of a surrounding {@code catch}. */
    protected IOException e;

    protected static final List<String> LINES = List.of("the quick brown fox", "", "jumps over the lazy dog");

    protected void step() throws Exception {}

    protected void process(String item) {}

    protected void importRow(String row) {}

    protected void export(JobInfo job) {}

    // ------------------------------------------------------------------ the application around it

    protected final Logger log = LoggerFactory.getLogger(DocContext.class);
    protected Order order;
    protected Payments payments;
    protected Alerts alerts;
    protected Dashboard dashboard;
    protected Metrics metrics;
    protected Ui ui;
    protected String repo;
    protected UUID jobId;
    protected UUID chainId;

    protected void cleanUp(UUID jobId) {}

    public interface Ui {
        void showPaused(UUID jobId);
    }

    /** The steps of the chain in coordination.md: a backup, a prune and a compaction of a repository. */
    public static final class Backup extends Step {
        public Backup(String repo) {}
    }

    public static final class Prune extends Step {
        public Prune(String repo) {}
    }

    public static final class Compact extends Step {
        public Compact(String repo) {}
    }

    public abstract static class Step implements dev.jobs.JobHandler<String> {
        @Override
        public String run(dev.jobs.JobContext ctx) {
            return null;
        }
    }

    /** The parent of testing-jobs.md: one child per part, the size of each child's output. */
    public static final class FanOutJob implements dev.jobs.JobHandler<List<Integer>> {
        public FanOutJob(int parts) {}

        @Override
        public List<Integer> run(dev.jobs.JobContext ctx) {
            return List.of();
        }
    }

    public record Order(long id) {}

    public interface OrderIndex {
        List<Order> ordersAfter(long afterId, int limit);

        void upsert(List<Order> orders);
    }

    public static final class AppServices {
        private AppServices() {}

        public static OrderIndex orderIndex() {
            throw new UnsupportedOperationException();
        }
    }

    public interface Payments {
        void charge(Order order, String chargeId);
    }

    public interface Alerts {
        void send(String message);
    }

    public interface Dashboard {
        void push(JobEvent event);
    }

    public interface Metrics {
        void gauge(String name, long value);

        void increment(String name);
    }

    /** An enum parameter. */
    public enum Mode {
        SAFE,
        FAST
    }
}
