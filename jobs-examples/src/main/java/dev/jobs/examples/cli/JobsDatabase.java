package dev.jobs.examples.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobs.postgres.PostgresStore;
import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.StoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where jobctl's jobs are: a SQLite file, or a schema of a PostgreSQL database shared by several
 * machines, both given with {@code --db}.
 *
 * <p>A PostgreSQL database is written as a URL, {@code postgresql://USER@HOST:PORT/DATABASE} (or
 * {@code postgres://...}, or a JDBC URL {@code jdbc:postgresql://HOST:PORT/DATABASE?user=USER}),
 * with {@code ?schema=NAME} for the schema of the jobs ({@code jobs} without it). The password
 * comes from the URL or, better (a command line is visible to every user of the machine), from
 * the {@code PGPASSWORD} environment variable. Files that belong to this machine rather than to
 * the database (background workers' logs, the record of which process runs a job) go under
 * {@code ~/.jobs/postgresql/HOST_PORT_DATABASE_SCHEMA/}.
 */
sealed interface JobsDatabase {

    /** Puts the store into {@code builder}; {@code connections} is the pool size it may use. */
    JobManagerBuilder configure(JobManagerBuilder builder, int connections, List<Runnable> atEnd);

    /** Whether it has jobs already (a command that only reads or controls refuses to create it). */
    boolean exists();

    /** The directory for this machine's files about the database: {@code logs/} goes in it. */
    Path localDirectory();

    /** The {@code --db} value that names it to a child jobctl process (never with a password). */
    String argument();

    /** Environment variables a child jobctl process needs to open it (the password). */
    Map<String, String> childEnvironment();

    /** How messages name it. */
    @Override
    String toString();

    /** The message for a command that only reads or controls, when {@link #exists()} is false. */
    default String missingMessage() {
        return "no database at " + this + "; check --db (`jobctl run` creates one)";
    }

    /** A SQLite file. */
    record SqliteFile(Path file) implements JobsDatabase {
        @Override
        public JobManagerBuilder configure(JobManagerBuilder builder, int connections, List<Runnable> atEnd) {
            return builder.database(file);
        }

        @Override
        public boolean exists() {
            return Files.exists(file);
        }

        @Override
        public Path localDirectory() {
            return file.toAbsolutePath().getParent();
        }

        @Override
        public String argument() {
            return file.toAbsolutePath().toString();
        }

        @Override
        public Map<String, String> childEnvironment() {
            return Map.of();
        }

        @Override
        public String toString() {
            return file.toAbsolutePath().normalize().toString();
        }
    }

    /** A schema of a PostgreSQL database; {@code display} is the URL without a password. */
    record Postgres(String jdbcUrl, String user, String password, String schema, String display, Path localDirectory)
            implements JobsDatabase {

        @Override
        public JobManagerBuilder configure(JobManagerBuilder builder, int connections, List<Runnable> atEnd) {
            HikariDataSource pool = pool(connections);
            atEnd.add(pool::close);
            return builder.store(PostgresStore.of(pool).schema(schema)).dataDirectory(localDirectory.resolve("data"));
        }

        private HikariDataSource pool(int connections) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            if (user != null) {
                config.setUsername(user);
            }
            if (password != null) {
                config.setPassword(password);
            }
            config.setMaximumPoolSize(connections);
            config.setPoolName("jobctl");
            config.setInitializationFailTimeout(-1); // the store reports an unreachable database itself
            config.setConnectionTimeout(10_000);
            return new HikariDataSource(config);
        }

        @Override
        public boolean exists() {
            HikariDataSource pool = pool(1);
            try (pool;
                    Connection c = pool.getConnection();
                    PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                s.setString(1, "\"" + schema + "\".jobs_schema_version");
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            } catch (SQLException e) {
                throw new StoreException(
                        "cannot reach the PostgreSQL database " + display + " (" + e.getMessage()
                                + "); check that it is up, the URL, and the user and PGPASSWORD",
                        e);
            }
        }

        @Override
        public String argument() {
            return display;
        }

        @Override
        public Map<String, String> childEnvironment() {
            return password == null ? Map.of() : Map.of("PGPASSWORD", password);
        }

        @Override
        public String missingMessage() {
            return "no jobs in schema " + schema + " of " + display
                    + "; check --db and its ?schema= (`jobctl run` creates them)";
        }

        @Override
        public String toString() {
            return display;
        }
    }

    /** Whether {@code value} names a PostgreSQL database rather than a file. */
    static boolean isPostgresUrl(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://")
                || lower.startsWith("postgres://")
                || lower.startsWith("jdbc:postgresql:");
    }

    /**
     * Parses a PostgreSQL URL ({@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql:}),
     * taking its user, password and {@code schema} out of it; {@code environmentPassword} (may be
     * null) is used when the URL has no password, {@code home} is the user's home directory.
     */
    static Postgres postgres(String value, String environmentPassword, Path home) {
        String rest = value.toLowerCase(Locale.ROOT).startsWith("jdbc:") ? value.substring("jdbc:".length()) : value;
        URI uri;
        try {
            uri = new URI(rest);
        } catch (URISyntaxException e) {
            throw new TypeConversionException("'" + value + "' is not a PostgreSQL URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new TypeConversionException(
                    "'" + value + "' names no host; write postgresql://USER@HOST:PORT/DATABASE?schema=NAME");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String schema = "jobs";
        List<String> kept = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String key = decode(kv[0]);
                String v = kv.length > 1 ? decode(kv[1]) : "";
                switch (key) {
                    case "schema" -> schema = v;
                    case "user" -> user = v;
                    case "password" -> password = v;
                    default -> kept.add(pair);
                }
            }
        }
        if (password == null) {
            password = environmentPassword;
        }
        try {
            PostgresStore.of(new org.postgresql.ds.PGSimpleDataSource()).schema(schema);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1
                ? (user == null ? "postgres" : user)
                : decode(uri.getRawPath().substring(1));
        String query = kept.isEmpty() ? "" : "?" + String.join("&", kept);
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database + query;
        String display = "postgresql://" + (user == null ? "" : user + "@") + uri.getHost() + ":" + port + "/"
                + database + "?schema=" + schema;
        Path local = home.resolve(".jobs")
                .resolve("postgresql")
                .resolve((uri.getHost() + "_" + port + "_" + database + "_" + schema)
                        .replaceAll("[^A-Za-z0-9._-]", "_"));
        return new Postgres(jdbcUrl, user, password, schema, display, local);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Converts {@code --db}: a PostgreSQL URL, or a file path ({@code ~} expanded). */
    final class Converter implements ITypeConverter<JobsDatabase> {
        @Override
        public JobsDatabase convert(String value) {
            if (isPostgresUrl(value)) {
                return postgres(value, System.getenv("PGPASSWORD"), Path.of(System.getProperty("user.home")));
            }
            return new SqliteFile(Path.of(Tilde.expandHome(value)));
        }
    }
}
