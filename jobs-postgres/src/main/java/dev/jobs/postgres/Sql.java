package dev.jobs.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written statement whose parameters are named ({@code :name}) and bound by name, so that a
 * value used twice is bound once and a value left unbound fails loudly. {@code #.} in the text is
 * the store's schema ({@code "jobs".}); {@code ::} casts and quoted literals are left alone.
 */
final class Sql {

    private final String text;
    private final Map<String, List<Integer>> positions = new HashMap<>();
    private final int count;

    private Sql(String text, List<String> names) {
        this(text, names, names.size());
    }

    private Sql(String text, List<String> names, int count) {
        this.text = text;
        this.count = count;
        for (int i = 0; i < names.size(); i++) {
            positions.computeIfAbsent(names.get(i), k -> new ArrayList<>()).add(i + 1);
        }
    }

    /** Parses {@code template} for the tables of {@code schema} (already quoted). */
    static Sql of(String schema, String template) {
        String named = template.replace("#.", schema + ".");
        StringBuilder out = new StringBuilder(named.length());
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < named.length(); i++) {
            char ch = named.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            }
            if (!quoted && ch == ':' && i + 1 < named.length() && named.charAt(i + 1) == ':') {
                out.append("::");
                i++;
            } else if (!quoted
                    && ch == ':'
                    && i + 1 < named.length()
                    && (Character.isLetter(named.charAt(i + 1)) || named.charAt(i + 1) == '_')) {
                int end = i + 1;
                while (end < named.length()
                        && (Character.isLetterOrDigit(named.charAt(end)) || named.charAt(end) == '_')) {
                    end++;
                }
                names.add(named.substring(i + 1, end));
                out.append('?');
                i = end - 1;
            } else {
                out.append(ch);
            }
        }
        return new Sql(out.toString(), names);
    }

    String text() {
        return text;
    }

    /** The same statement under {@code EXPLAIN (ANALYZE, FORMAT JSON)}, bound alike: for plan tests. */
    Sql explained() {
        return after("EXPLAIN (ANALYZE, FORMAT JSON) ");
    }

    /** This statement after {@code prefix} (SQL without parameters), in one round trip. */
    Sql after(String prefix) {
        Sql after = new Sql(prefix + text, List.of(), count);
        positions.forEach((name, at) -> after.positions.put(name, at));
        return after;
    }

    /** Prepares the statement on {@code connection}; close the result. */
    Bind on(Connection connection) throws SQLException {
        return new Bind(connection.prepareStatement(text));
    }

    /** The values of one execution, set by name. */
    final class Bind implements AutoCloseable {
        private final PreparedStatement statement;
        private final boolean[] bound = new boolean[count];

        private Bind(PreparedStatement statement) {
            this.statement = statement;
        }

        Bind set(String name, Object value) throws SQLException {
            List<Integer> at = positions.get(name);
            if (at == null) {
                throw new IllegalArgumentException("no parameter '" + name + "' in " + text);
            }
            for (int position : at) {
                statement.setObject(position, value);
                bound[position - 1] = true;
            }
            return this;
        }

        /** Binds the fence of a run's write: id, owner, claim. */
        Bind fence(dev.jobs.runtime.store.Claim claim) throws SQLException {
            return set("id", claim.id()).set("owner", claim.owner()).set("claim", claim.token());
        }

        private PreparedStatement ready() {
            for (int i = 0; i < bound.length; i++) {
                if (!bound[i]) {
                    throw new IllegalStateException("parameter " + (i + 1) + " is not bound in " + text);
                }
            }
            return statement;
        }

        int update() throws SQLException {
            return ready().executeUpdate();
        }

        ResultSet query() throws SQLException {
            return ready().executeQuery();
        }

        /**
         * Runs a statement of several (separated by {@code ;}, sent in one round trip) and returns
         * the first result set among their results.
         */
        ResultSet queryFirstResultSet() throws SQLException {
            PreparedStatement s = ready();
            boolean isResultSet = s.execute();
            while (!isResultSet) {
                if (s.getUpdateCount() == -1) {
                    throw new SQLException("no result set from " + text);
                }
                isResultSet = s.getMoreResults();
            }
            return s.getResultSet();
        }

        /** After {@link #queryFirstResultSet}: the next result set of the statements (the current one is closed). */
        ResultSet nextResultSet() throws SQLException {
            while (!statement.getMoreResults()) {
                if (statement.getUpdateCount() == -1) {
                    throw new SQLException("no further result set from " + text);
                }
            }
            return statement.getResultSet();
        }

        void addBatch() throws SQLException {
            ready().addBatch();
            java.util.Arrays.fill(bound, false);
        }

        PreparedStatement statement() {
            return statement;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }
}
