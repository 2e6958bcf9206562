package dev.jobs.runtime.store.sqlite;

import dev.jobs.runtime.store.Claim;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;

/**
 * A statement rendered once by jOOQ, whose parameters are bound by the field they set rather than
 * by position: a caller writes {@code .set(DATA, data)} beside the statement it runs, a parameter
 * used twice (such as the time) is bound once, and a parameter left unbound fails loudly instead of
 * shifting every other one.
 *
 * <p>The query is rendered with named parameters ({@code :name}) and each name is replaced by a
 * {@code ?}, remembering the order of names. Parameters are jOOQ params named after the column
 * whose value they carry (see {@code SqliteJobStore.p}) or given a name of their own.
 */
final class Statement {

    private final String sql;
    private final String[] names;
    /** For each parameter name, the 1-based positions where it is used. */
    private final java.util.Map<String, int[]> positions = new java.util.HashMap<>();

    private Statement(String sql, String[] names) {
        if (names.length > 64) {
            throw new IllegalArgumentException("more than 64 parameters in " + sql);
        }
        this.sql = sql;
        this.names = names;
        for (int i = 0; i < names.length; i++) {
            int[] before = positions.getOrDefault(names[i], new int[0]);
            int[] now = java.util.Arrays.copyOf(before, before.length + 1);
            now[before.length] = i + 1;
            positions.put(names[i], now);
        }
    }

    /** Renders {@code query} once with {@code dsl}'s dialect and settings. */
    static Statement of(DSLContext dsl, Query query) {
        String named = dsl.renderNamedParams(query);
        StringBuilder out = new StringBuilder(named.length());
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < named.length(); i++) {
            char ch = named.charAt(i);
            if (ch == '\'') {
                quoted = !quoted; // '' inside a literal toggles twice: still quoted
            }
            if (!quoted && ch == ':' && i + 1 < named.length() && isNameStart(named.charAt(i + 1))) {
                int end = i + 1;
                while (end < named.length() && isNamePart(named.charAt(end))) {
                    end++;
                }
                names.add(named.substring(i + 1, end));
                out.append('?');
                i = end - 1;
            } else {
                out.append(ch);
            }
        }
        return new Statement(out.toString(), names.toArray(String[]::new));
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** The SQL with {@code ?} placeholders (for logs and tests). */
    String sql() {
        return sql;
    }

    /** Starts binding this statement on the writer's transaction (its prepared statement is cached there). */
    Bind on(Writer.Tx tx) throws SQLException {
        return new Bind(tx.prepare(sql));
    }

    /** Starts binding this statement on a connection of its own (a read); close the result's statement. */
    Bind on(java.sql.Connection connection) throws SQLException {
        return new Bind(connection.prepareStatement(sql));
    }

    /** The values of one execution, set by name. */
    final class Bind {
        private final PreparedStatement statement;
        /** Bit i set: parameter i+1 is bound. */
        private long bound;

        private Bind(PreparedStatement statement) {
            this.statement = statement;
        }

        /** Sets every parameter named after {@code field} (or named {@code field}'s name). */
        <T> Bind set(Field<T> field, T value) throws SQLException {
            return set(field.getName(), value);
        }

        /** Sets every parameter called {@code name}. */
        Bind set(String name, Object value) throws SQLException {
            int[] at = positions.get(name);
            if (at == null) {
                throw new IllegalArgumentException("no parameter '" + name + "' in " + sql);
            }
            for (int position : at) {
                statement.setObject(position, value);
                bound |= 1L << (position - 1);
            }
            return this;
        }

        /** Sets the fence of a run's write: the job, its owner and the claim's token. */
        Bind fence(Claim claim) throws SQLException {
            return set(Tables.ID, claim.id().toString())
                    .set(Tables.OWNER, claim.owner())
                    .set(Tables.CLAIM, claim.token());
        }

        private PreparedStatement ready() {
            long all = names.length == 64 ? -1L : (1L << names.length) - 1;
            if (bound != all) {
                int missing = Long.numberOfTrailingZeros(~bound);
                throw new IllegalStateException("parameter '" + names[missing] + "' is not bound in " + sql);
            }
            return statement;
        }

        /** Runs an INSERT, UPDATE or DELETE; returns the number of rows changed. */
        int update() throws SQLException {
            return ready().executeUpdate();
        }

        /** Adds the current values to the batch (an INSERT of many rows). */
        void addBatch() throws SQLException {
            ready().addBatch();
            bound = 0;
        }

        /** Runs a query (or an UPDATE ... RETURNING). */
        ResultSet query() throws SQLException {
            return ready().executeQuery();
        }

        PreparedStatement statement() {
            return statement;
        }
    }
}
