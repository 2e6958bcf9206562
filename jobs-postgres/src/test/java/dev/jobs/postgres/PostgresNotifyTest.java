package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Which commits wake the other nodes' watchers. Notifications arrive in commit order, so a marker
 * sent after a change says, when it arrives, that the change's notification (if any) came first.
 */
class PostgresNotifyTest {
    private static final String NAME = "notify.job";

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    @Test
    void aClaimWakesNoWatcherButADispatchAndACompletionDo() throws Exception {
        String schema = EmbeddedDatabase.freshSchema();
        String channel = PostgresJobStore.channel(schema);
        try (JobStore store =
                        PostgresStore.of(database.dataSource()).schema(schema).open(List.of(NAME));
                Connection listener = database.dataSource().getConnection()) {
            listener.setAutoCommit(true);
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN \"" + channel + "\"");
            }
            UUID id = UUID.randomUUID();
            StoreFutures.await(store.insert(new NewJob(id, NAME, 1, new byte[] {1}, 0, 1_000), null));
            assertThat(notificationsUntilMarker(listener, channel, "after-dispatch"))
                    .as("the dispatch")
                    .hasSize(1);

            var claimed = store.claim("node-a", 10, 2_000, 60_000);
            assertThat(claimed).hasSize(1);
            assertThat(notificationsUntilMarker(listener, channel, "after-claim"))
                    .as("the claim")
                    .isEmpty();

            assertThat(StoreFutures.await(store.complete(claimed.get(0).claim("node-a"), "1", 1.0, null, 3_000)))
                    .isTrue();
            assertThat(notificationsUntilMarker(listener, channel, "after-completion"))
                    .as("the completion")
                    .hasSize(1);
        }
    }

    /** Sends {@code marker} on the channel and returns the notifications that arrived before it. */
    private static List<PGNotification> notificationsUntilMarker(Connection listener, String channel, String marker)
            throws Exception {
        try (Connection c = database.dataSource().getConnection();
                var notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, marker);
            notify.executeQuery().close();
        }
        List<PGNotification> before = new ArrayList<>();
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (true) {
            PGNotification[] notes = pg.getNotifications(10_000);
            assertThat(notes).as("the marker %s within 10 s", marker).isNotEmpty();
            for (PGNotification note : notes) {
                if (note.getParameter().equals(marker)) {
                    return before;
                }
                before.add(note);
            }
        }
    }
}
