package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.StoreException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One outage, one warning: a connection the pool hands out while the server shuts down proves
 * nothing, since its first statement fails. The database's answer is what ends an outage.
 */
class ReachabilityTest {

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    @Test
    void aPooledConnectionWhoseStatementsFailDoesNotEndTheOutage() {
        AtomicBoolean shuttingDown = new AtomicBoolean();
        PostgresJobStore store = (PostgresJobStore) PostgresStore.of(shuttingDown(database.dataSource(), shuttingDown))
                .schema(EmbeddedDatabase.freshSchema())
                .open(List.of("reach.job"));
        try {
            shuttingDown.set(true);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(store::hasRunnableQueued)
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("unreachable");
                assertThat(store.available()).isFalse();
            }
            // the pool gave out a connection three times: still the one outage of the first failure
            assertThat(store.reachability().outages()).isEqualTo(1);

            shuttingDown.set(false);
            assertThat(store.hasRunnableQueued()).isFalse();
            assertThat(store.available()).as("the database answered").isTrue();
        } finally {
            store.close();
        }
    }

    /** Hands out real connections whose statements fail as a server shutting down makes them fail. */
    private static DataSource shuttingDown(DataSource real, AtomicBoolean failing) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection c = real.getConnection();
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                            if (failing.get()
                                    && (m.getName().startsWith("prepare")
                                            || m.getName().equals("createStatement"))) {
                                throw new SQLException("terminating connection due to administrator command", "57P01");
                            }
                            try {
                                return m.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> type) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> type) {
                return false;
            }
        };
    }
}
