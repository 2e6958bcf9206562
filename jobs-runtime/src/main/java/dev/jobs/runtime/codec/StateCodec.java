package dev.jobs.runtime.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.jobs.JobException;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job's state as MessagePack: a map from field name to value. Writing by name (never by
 * position) means a field can be added or removed without breaking stored rows. A stored row of
 * another {@code @Job(version)} goes through {@link JobHandler#upgradeState} first.
 *
 * <pre>{@code
 * byte[] bytes = codec.encode(job);
 * MyJob restored = codec.decode(registration, storedVersion, bytes);
 * }</pre>
 */
public final class StateCodec {

    private final ObjectMapper mapper = Mappers.msgpack();
    private final Map<Class<?>, ObjectWriter> writers = new ConcurrentHashMap<>();
    private final Map<Class<?>, com.fasterxml.jackson.databind.ObjectReader> readers = new ConcurrentHashMap<>();

    public byte[] encode(JobHandler<?> job) {
        try {
            return writers.computeIfAbsent(job.getClass(), mapper::writerFor).writeValueAsBytes(job);
        } catch (JsonProcessingException e) {
            throw new JobException(
                    "cannot save the state of job class " + job.getClass().getName() + ": " + e.getOriginalMessage()
                            + at(e) + "; mark the field transient or give it a serializable type",
                    e);
        }
    }

    /** A fresh job from its registration, with the stored state read into it. */
    public <J extends JobHandler<?>> J decode(JobRegistration<J> registration, int storedVersion, byte[] data) {
        J job = registration.newInstance();
        if (data == null || data.length == 0) {
            return job;
        }
        try {
            if (storedVersion == registration.version()) {
                readers.computeIfAbsent(job.getClass(), mapper::readerFor)
                        .withValueToUpdate(job)
                        .readValue(data);
            } else {
                Map<String, Object> state = mapper.readValue(
                        data,
                        TypeFactory.defaultInstance()
                                .constructMapType(LinkedHashMap.class, String.class, Object.class));
                if (!job.upgradeState(storedVersion, state)) {
                    throw new StateDecodeException(
                            "job '" + registration.name() + "' was stored with state version "
                                    + storedVersion + " but the code expects version " + registration.version()
                                    + ", and " + registration.jobType().getSimpleName()
                                    + ".upgradeState has no upgrade from it; implement upgradeState or run the job with the old code");
                }
                mapper.updateValue(job, state);
            }
            return job;
        } catch (JsonMappingException e) {
            throw new StateDecodeException(
                    "cannot restore the state of job '" + registration.name() + "' (version " + storedVersion + "): "
                            + e.getOriginalMessage() + at(e),
                    e);
        } catch (StateDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new StateDecodeException(
                    "the stored state of job '" + registration.name() + "' is not valid MessagePack (" + data.length
                            + " bytes): " + e.getMessage(),
                    e);
        }
    }

    /** The stored state as a readable map, for diagnostics and the test harness. */
    public Map<String, Object> describe(byte[] data) {
        try {
            return mapper.readValue(
                    data,
                    TypeFactory.defaultInstance().constructMapType(LinkedHashMap.class, String.class, Object.class));
        } catch (IOException e) {
            throw new StateDecodeException("not valid MessagePack: " + e.getMessage(), e);
        }
    }

    static String at(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? JsonCodec.fieldPath(m) : "";
        return path.isEmpty() ? "" : " (field '" + path + "')";
    }
}
