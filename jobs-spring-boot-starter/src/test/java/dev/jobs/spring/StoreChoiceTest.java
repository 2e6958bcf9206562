package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.spring.JobsProperties.Store;
import org.junit.jupiter.api.Test;

class StoreChoiceTest {

    @Test
    void autoChoosesPostgresqlOnlyWithADataSourceJobsPostgresAndNoDatabaseFile() {
        assertThat(StoreChoice.of(Store.AUTO, false, true, true)).isEqualTo(StoreChoice.POSTGRESQL);
        assertThat(StoreChoice.of(Store.AUTO, true, true, true)).isEqualTo(StoreChoice.SQLITE);
        assertThat(StoreChoice.of(Store.AUTO, false, false, true)).isEqualTo(StoreChoice.SQLITE);
        assertThat(StoreChoice.of(Store.AUTO, false, true, false)).isEqualTo(StoreChoice.SQLITE);
    }

    @Test
    void anExplicitStoreIsTakenAsGiven() {
        assertThat(StoreChoice.of(Store.SQLITE, false, true, true)).isEqualTo(StoreChoice.SQLITE);
        assertThat(StoreChoice.of(Store.POSTGRESQL, true, true, true)).isEqualTo(StoreChoice.POSTGRESQL);
        assertThatThrownBy(() -> StoreChoice.of(Store.POSTGRESQL, false, false, true))
                .hasMessageContaining("DataSource");
        assertThatThrownBy(() -> StoreChoice.of(Store.POSTGRESQL, false, true, false))
                .hasMessageContaining("jobs-postgres");
    }
}
