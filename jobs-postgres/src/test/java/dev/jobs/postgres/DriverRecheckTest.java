package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The watcher's connection answers "is another message there?" from what it has received. */
class DriverRecheckTest {

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    @Test
    void thePinnedDriverStillHasTheFieldItTurnsOff() throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            DriverRecheck recheck = DriverRecheck.turnOff(c);
            assertThat(recheck)
                    .as("the driver's PGStream.nextStreamAvailableCheckTime (a driver upgrade renamed it?)")
                    .isNotNull();
            recheck.restore();
        }
    }

    @Test
    void notificationsStillArriveWithTheRecheckOff() throws Exception {
        try (Connection listener = database.dataSource().getConnection();
                Connection sender = database.dataSource().getConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN recheck_test");
            }
            DriverRecheck recheck = DriverRecheck.turnOff(listener);
            try {
                PGConnection pg = listener.unwrap(PGConnection.class);
                for (int i = 0; i < 3; i++) {
                    try (Statement s = sender.createStatement()) {
                        s.execute("NOTIFY recheck_test, 'n" + i + "'; NOTIFY recheck_test, 'm" + i + "'");
                    }
                    // both, in one transaction, in the order sent (usually in one call: the second
                    // is already received; a second call takes it if the socket split them)
                    java.util.List<String> got = new java.util.ArrayList<>();
                    for (int call = 0; call < 2 && got.size() < 2; call++) {
                        PGNotification[] notes = pg.getNotifications(10_000);
                        for (PGNotification note : notes == null ? new PGNotification[0] : notes) {
                            got.add(note.getParameter());
                        }
                    }
                    assertThat(got).containsExactly("n" + i, "m" + i);
                }
            } finally {
                recheck.restore();
            }
        }
    }
}
