package dev.jobs.runtime.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.param;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding by name: what keeps a statement's parameters from drifting away from its SQL. */
class StatementTest {

    private static final DSLContext SQL = DSL.using(SQLDialect.SQLITE);
    private static final Field<Long> A = param("a", Long.class);
    private static final Field<Long> B = param("b", Long.class);
    private static final Field<String> TEXT = param("text", String.class);

    private Connection connection;

    @BeforeEach
    void open() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    private Object[] row(Statement statement, Statement.Bind bind) throws Exception {
        try (ResultSet rs = bind.query()) {
            assertThat(rs.next()).isTrue();
            return new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3)};
        }
    }

    @Test
    void parametersAreBoundByNameWhateverTheOrderOfTheCalls() throws Exception {
        Statement s = Statement.of(SQL, SQL.select(A, B, TEXT));
        assertThat(row(s, s.on(connection).set(TEXT, "t").set(B, 2L).set(A, 1L)))
                .containsExactly(1L, 2L, "t");
    }

    @Test
    void aParameterUsedTwiceIsBoundOnce() throws Exception {
        Statement s = Statement.of(SQL, SQL.select(A, A.plus(B), TEXT));
        assertThat(row(s, s.on(connection).set(A, 5L).set(B, 1L).set(TEXT, "x")))
                .containsExactly(5L, 6L, "x");
    }

    @Test
    void anUnboundParameterFailsNamingIt() throws Exception {
        Statement s = Statement.of(SQL, SQL.select(A, B, TEXT));
        Statement.Bind bind = s.on(connection).set(A, 1L).set(TEXT, "t");
        assertThatThrownBy(bind::query)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'b' is not bound");
    }

    @Test
    void aNameTheStatementDoesNotHaveFails() throws Exception {
        Statement s = Statement.of(SQL, SQL.select(A));
        assertThatThrownBy(() -> s.on(connection).set(B, 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no parameter 'b'");
    }

    @Test
    void aColonInsideALiteralIsNotAParameter() throws Exception {
        Statement s = Statement.of(SQL, SQL.select(A, B, inline("12:30 :b")));
        assertThat(s.sql()).contains("'12:30 :b'");
        assertThat(row(s, s.on(connection).set(A, 1L).set(B, 2L))).containsExactly(1L, 2L, "12:30 :b");
    }
}
