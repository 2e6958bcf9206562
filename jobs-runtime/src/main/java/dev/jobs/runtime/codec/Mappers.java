package dev.jobs.runtime.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The two Jackson mappers of the runtime, configured alike: a job's state is its non-transient
 * fields (private included), read and written by field name; getters and setters are not used, so
 * a job's methods never leak into its state. Unknown fields are ignored on read, so removing a
 * field from a job does not break stored rows. Paths are plain strings, java.time values ISO-8601
 * (keeping their offset), a {@code Set} reads back in the order it was written. The state mapper
 * differs only where MessagePack needs it (see {@link #msgpack()}).
 */
final class Mappers {
    private Mappers() {}

    /**
     * The state mapper. MessagePack numbers are 64-bit integers and doubles, so a BigDecimal (which
     * would lose its scale or fail) and a BigInteger beyond 64 bits are written as their decimal
     * text; a ZonedDateTime keeps its zone id, so it reads back equal.
     */
    static ObjectMapper msgpack() {
        ObjectMapper mapper = configure(JsonMapper.builder(new org.msgpack.jackson.dataformat.MessagePackFactory()));
        SimpleModule numbers = new SimpleModule("jobs-msgpack-numbers");
        numbers.addSerializer(BigDecimal.class, new StdScalarSerializer<>(BigDecimal.class) {
            @Override
            public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        numbers.addSerializer(BigInteger.class, new StdScalarSerializer<>(BigInteger.class) {
            @Override
            public void serialize(BigInteger value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value.bitLength() < 64) {
                    gen.writeNumber(value.longValue());
                } else {
                    gen.writeString(value.toString());
                }
            }
        });
        return mapper.registerModule(numbers).configure(SerializationFeature.WRITE_DATES_WITH_ZONE_ID, true);
    }

    static ObjectMapper json() {
        return configure(JsonMapper.builder(new JsonFactory()));
    }

    private static ObjectMapper configure(JsonMapper.Builder builder) {
        ObjectMapper mapper = builder.configure(MapperFeature.PROPAGATE_TRANSIENT_MARKER, true)
                .build();
        SimpleModule paths = new SimpleModule("jobs-paths");
        paths.addSerializer(Path.class, new PathSerializer());
        paths.addDeserializer(Path.class, new PathDeserializer());
        // a Set field reads back in the order it was written (Jackson's default is a HashSet);
        // SortedSet, NavigableSet and TreeSet fields read back as TreeSets
        paths.addAbstractTypeMapping(Set.class, LinkedHashSet.class);
        mapper.registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .registerModule(paths)
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
                .configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false)
                // an OffsetDateTime or ZonedDateTime keeps the offset it was given, not UTC
                .configure(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, false);
        return mapper;
    }

    private static final class PathSerializer extends StdScalarSerializer<Path> {
        PathSerializer() {
            super(Path.class);
        }

        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class PathDeserializer extends StdScalarDeserializer<Path> {
        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (Path) ctx.handleUnexpectedToken(Path.class, p);
            }
            try {
                return Path.of(text);
            } catch (java.nio.file.InvalidPathException e) {
                return (Path) ctx.handleWeirdStringValue(Path.class, text, "not a valid path: " + e.getReason());
            }
        }
    }
}
