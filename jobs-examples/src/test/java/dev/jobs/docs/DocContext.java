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
    }

    /** An enum parameter. */
    public enum Mode {
        SAFE,
        FAST
    }
}
