package dev.jobs.spring;

import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jobs.*} properties of the auto-configured {@link dev.jobs.runtime.JobManager}. Each maps
 * to one option of {@link dev.jobs.runtime.JobManagerBuilder}; an option left unset keeps the
 * builder's default, so the defaults stated here are the library's own.
 *
 * <p>A JavaBean rather than a record: the configuration processor reads the field initializers as the
 * defaults it shows in the IDE, and nested groups ({@code jobs.retention.*}, {@code jobs.web.*})
 * bind without constructor parameters.
 */
@ConfigurationProperties("jobs")
public class JobsProperties {

    /** Which store keeps the jobs. */
    public enum Store {
        /**
         * PostgreSQL through the application's DataSource when jobs-postgres is on the class path,
         * a DataSource bean exists and jobs.database is not set; otherwise SQLite.
         */
        AUTO,
        /** A SQLite file: jobs.database (default jobs.db in the working directory). */
        SQLITE,
        /** The application's DataSource, with jobs-postgres; needs jobs.data-directory. */
        POSTGRESQL
    }

    /** Whether to auto-configure a JobManager at all. */
    private boolean enabled = true;

    /** Which store keeps the jobs: auto, sqlite or postgresql. */
    private Store store = Store.AUTO;

    /** The SQLite file (created with its directory); jobs.db in the working directory when unset. */
    private Path database;

    /**
     * The parent of each job's data directory (ctx.dataDir()). Default: beside the SQLite file
     * (jobs.db.data); required with PostgreSQL.
     */
    private Path dataDirectory;

    /** How many jobs run at once. Default: the number of processors, at least 2. */
    private Integer workers;

    /**
     * Runs no workers: this application only dispatches, lists and controls jobs that another
     * process on the same store runs.
     */
    private boolean client = false;

    /**
     * How long this manager's claim on its running jobs lasts without renewal (renewed every
     * third of it); another manager takes over the jobs of an owner whose lease expired.
     */
    private Duration lease = Duration.ofSeconds(15);

    /**
     * How long closing the manager (on context shutdown) waits for running jobs to reach an
     * interrupt point and save their state.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * SQLite only: what a commit survives. FULL survives power cuts (an fsync per group commit);
     * NORMAL survives a crash of the process only.
     */
    private SynchronousMode synchronous = SynchronousMode.FULL;

    /** SQLite only: how long to wait for another process's write lock before failing. */
    private Duration busyTimeout = Duration.ofSeconds(10);

    private final Retention retention = new Retention();

    private final Postgresql postgresql = new Postgresql();

    private final Web web = new Web();

    /** Automatic deletion of finished jobs (off unless max-age or max-count is set). */
    public static class Retention {
        /** Deletes finished jobs older than this, at start and every period. */
        private Duration maxAge;

        /** Keeps only this many of the newest finished jobs, checked at start and every period. */
        private Integer maxCount;

        /** How often automatic retention runs. */
        private Duration period = Duration.ofHours(1);

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public Integer getMaxCount() {
            return maxCount;
        }

        public void setMaxCount(Integer maxCount) {
            this.maxCount = maxCount;
        }

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }
    }

    /** The PostgreSQL store (jobs-postgres). */
    public static class Postgresql {
        /** The schema of the jobs tables, created or migrated at start. */
        private String schema = "jobs";

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }
    }

    /** The dashboard and HTTP API (jobs-web) as a servlet of the application. */
    public static class Web {
        /** Whether to register the JobsServlet (needs jobs-web and a servlet web application). */
        private boolean enabled = false;

        /**
         * The servlet mapping, ending in /*: the dashboard at this path with a slash, the API under
         * its api/.
         */
        private String path = "/jobs/*";

        /** A bearer token every request must carry (Authorization: Bearer ...); none when unset. */
        private String token;

        /** Answers every POST with 403: the dashboard shows jobs but cannot change them. */
        private boolean readOnly = false;

        /** Serves the dashboard page; false serves the API only. */
        private boolean dashboard = true;

        /** The largest request body accepted; a larger one is answered with 413. */
        private int maxBodyBytes = 1_048_576; // a literal, so that the metadata shows the default

        /** How many event streams may be open at once (each holds a request thread). */
        private int maxEventStreams = 32;

        /**
         * Host names the API answers without a token (besides localhost); when set, a request to
         * any other Host is refused, which defeats DNS rebinding. Empty: the application's own
         * security protects the path.
         */
        private java.util.List<String> allowedHosts = new java.util.ArrayList<>();

        public java.util.List<String> getAllowedHosts() {
            return allowedHosts;
        }

        public void setAllowedHosts(java.util.List<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public boolean isReadOnly() {
            return readOnly;
        }

        public void setReadOnly(boolean readOnly) {
            this.readOnly = readOnly;
        }

        public boolean isDashboard() {
            return dashboard;
        }

        public void setDashboard(boolean dashboard) {
            this.dashboard = dashboard;
        }

        public int getMaxBodyBytes() {
            return maxBodyBytes;
        }

        public void setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public int getMaxEventStreams() {
            return maxEventStreams;
        }

        public void setMaxEventStreams(int maxEventStreams) {
            this.maxEventStreams = maxEventStreams;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Store getStore() {
        return store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    public Path getDatabase() {
        return database;
    }

    public void setDatabase(Path database) {
        this.database = database;
    }

    public Path getDataDirectory() {
        return dataDirectory;
    }

    public void setDataDirectory(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    public Integer getWorkers() {
        return workers;
    }

    public void setWorkers(Integer workers) {
        this.workers = workers;
    }

    public boolean isClient() {
        return client;
    }

    public void setClient(boolean client) {
        this.client = client;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public SynchronousMode getSynchronous() {
        return synchronous;
    }

    public void setSynchronous(SynchronousMode synchronous) {
        this.synchronous = synchronous;
    }

    public Duration getBusyTimeout() {
        return busyTimeout;
    }

    public void setBusyTimeout(Duration busyTimeout) {
        this.busyTimeout = busyTimeout;
    }

    public Retention getRetention() {
        return retention;
    }

    public Postgresql getPostgresql() {
        return postgresql;
    }

    public Web getWeb() {
        return web;
    }
}
