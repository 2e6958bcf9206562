package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.runtime.codec.StateCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    static class Sample implements JobHandler<Void> {
        private int privateCounter;
        Path target;
        List<String> names;
        Instant when;
        Map<String, Long> sizes;
        transient String cache = "not persisted";
        static String ignored = "static";

        public Void run(JobContext ctx) {
            return null;
        }
    }

    private static final StubRegistration<Sample> REGISTRATION =
            new StubRegistration<>("sample", Sample.class, Sample::new);

    private final StateCodec codec = new StateCodec();

    @Test
    void roundTripsPrivateAndNestedFieldsButNotTransientOnes() {
        Sample job = new Sample();
        job.privateCounter = 42;
        job.target = Path.of("/data/out");
        job.names = List.of("a", "b");
        job.when = Instant.parse("2026-11-25T10:15:30Z");
        job.sizes = Map.of("a", 10L);
        job.cache = "changed";

        byte[] bytes = codec.encode(job);
        Sample restored = codec.decode(REGISTRATION, 1, bytes);

        assertThat(restored.privateCounter).isEqualTo(42);
        assertThat(restored.target).isEqualTo(Path.of("/data/out"));
        assertThat(restored.names).containsExactly("a", "b");
        assertThat(restored.when).isEqualTo(job.when);
        assertThat(restored.sizes).containsEntry("a", 10L);
        assertThat(restored.cache).isEqualTo("not persisted");
        assertThat(codec.describe(bytes)).containsOnlyKeys("privateCounter", "target", "names", "when", "sizes");
    }

    @Test
    void ignoresFieldsThatNoLongerExist() {
        Sample job = new Sample();
        job.privateCounter = 7;
        Map<String, Object> state = codec.describe(codec.encode(job));
        state.put("removedField", "old value");
        byte[] packed;
        try {
            packed = new com.fasterxml.jackson.databind.ObjectMapper(
                            new org.msgpack.jackson.dataformat.MessagePackFactory())
                    .writeValueAsBytes(state);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        assertThat(codec.decode(REGISTRATION, 1, packed).privateCounter).isEqualTo(7);
    }
}
