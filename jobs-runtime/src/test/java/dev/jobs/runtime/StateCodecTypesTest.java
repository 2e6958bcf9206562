package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.runtime.codec.StateCodec;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The field types the processor accepts come back from the state codec equal, sorted ones sorted. */
class StateCodecTypesTest {

    private final StateCodec codec = new StateCodec();

    private <J extends JobHandler<?>> J roundTrip(J job, Class<J> type, java.util.function.Supplier<J> factory) {
        return codec.decode(new StubRegistration<>("types", type, factory), 1, codec.encode(job));
    }

    /** One field of each JDK scalar type the processor accepts (FieldTypes.SCALARS); all null until filled. */
    static class ScalarsJob implements JobHandler<Void> {
        String string;
        Boolean bool;
        Character character;
        Byte b;
        Short s;
        Integer i;
        Long l;
        Float f;
        Double d;
        BigInteger bigInteger;
        BigDecimal bigDecimal;
        UUID uuid;
        Locale locale;
        Currency currency;
        OptionalInt optionalInt;
        OptionalLong optionalLong;
        OptionalDouble optionalDouble;
        AtomicBoolean atomicBoolean;
        AtomicInteger atomicInteger;
        AtomicLong atomicLong;
        Path path;
        File file;
        URI uri;
        URL url;
        Instant instant;
        Duration duration;
        Period period;
        LocalDate localDate;
        LocalTime localTime;
        LocalDateTime localDateTime;
        OffsetDateTime offsetDateTime;
        OffsetTime offsetTime;
        ZonedDateTime zonedDateTime;
        Year year;
        YearMonth yearMonth;
        MonthDay monthDay;
        ZoneId zoneId;
        ZoneOffset zoneOffset;

        static ScalarsJob filled() throws Exception {
            ScalarsJob job = new ScalarsJob();
            job.string = "s";
            job.bool = true;
            job.character = 'c';
            job.b = 1;
            job.s = 2;
            job.i = 3;
            job.l = 4L;
            job.f = 1.5f;
            job.d = 2.5;
            job.bigInteger = new BigInteger("123456789012345678901234567890");
            job.bigDecimal = new BigDecimal("0.1000000000000000000000000001");
            job.uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
            job.locale = Locale.CANADA_FRENCH;
            job.currency = Currency.getInstance("EUR");
            job.optionalInt = OptionalInt.of(7);
            job.optionalLong = OptionalLong.empty();
            job.optionalDouble = OptionalDouble.of(0.5);
            job.atomicBoolean = new AtomicBoolean(true);
            job.atomicInteger = new AtomicInteger(8);
            job.atomicLong = new AtomicLong(9);
            job.path = Path.of("/data/out");
            job.file = new File("/data/file");
            job.uri = URI.create("https://example.com/a?b=c");
            job.instant = Instant.parse("2026-01-31T10:15:30.123456789Z");
            job.duration = Duration.ofMillis(1500);
            job.period = Period.of(1, 2, 3);
            job.localDate = LocalDate.of(2026, 1, 31);
            job.localTime = LocalTime.of(10, 15, 30);
            job.localDateTime = LocalDateTime.of(2026, 1, 31, 10, 15);
            job.offsetDateTime = OffsetDateTime.of(2026, 1, 31, 10, 15, 0, 0, ZoneOffset.ofHours(2));
            job.offsetTime = OffsetTime.of(10, 15, 0, 0, ZoneOffset.ofHours(-3));
            job.zonedDateTime = ZonedDateTime.of(2026, 7, 1, 10, 15, 0, 0, ZoneId.of("Europe/Paris"));
            job.year = Year.of(2026);
            job.yearMonth = YearMonth.of(2026, 2);
            job.monthDay = MonthDay.of(2, 29);
            job.zoneId = ZoneId.of("America/New_York");
            job.zoneOffset = ZoneOffset.ofHoursMinutes(5, 30);
            job.url = URI.create("https://example.com/x").toURL();
            return job;
        }

        public Void run(JobContext ctx) {
            return null;
        }
    }

    private static List<Field> fields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .peek(f -> f.setAccessible(true))
                .toList();
    }

    /** Equality, also for the JDK types without equals (atomics, optionals of primitives compare fine). */
    private static Object comparable(Object value) {
        return value instanceof AtomicBoolean || value instanceof AtomicInteger || value instanceof AtomicLong
                ? value.toString()
                : value;
    }

    @Test
    void everyScalarTypeTheProcessorAcceptsReadsBackEqual() throws Exception {
        ScalarsJob job = ScalarsJob.filled();
        ScalarsJob restored = roundTrip(job, ScalarsJob.class, ScalarsJob::new);
        for (Field field : fields(ScalarsJob.class)) {
            assertThat(field.get(job)).as(field.getName()).isNotNull();
            assertThat(comparable(field.get(restored))).as(field.getName()).isEqualTo(comparable(field.get(job)));
        }
    }

    @Test
    void scalarsJobCoversEveryScalarTypeTheProcessorAccepts() throws Exception {
        Class<?> fieldTypes = Class.forName("dev.jobs.processor.FieldTypes");
        Field scalars = fieldTypes.getDeclaredField("SCALARS");
        scalars.setAccessible(true);
        @SuppressWarnings("unchecked")
        Set<String> accepted = (Set<String>) scalars.get(null);
        Set<String> covered = fields(ScalarsJob.class).stream()
                .map(f -> f.getType().getName())
                .collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(accepted);
    }

    /** One map for each key type the processor accepts (FieldTypes.KEYS, and enums). */
    static class KeysJob implements JobHandler<Void> {
        Map<String, String> string;
        Map<Byte, String> b;
        Map<Short, String> s;
        Map<Integer, String> i;
        Map<Long, String> l;
        Map<Float, String> f;
        Map<Double, String> d;
        Map<BigInteger, String> bigInteger;
        Map<BigDecimal, String> bigDecimal;
        Map<UUID, String> uuid;
        Map<java.time.DayOfWeek, String> enumKeys;

        public Void run(JobContext ctx) {
            return null;
        }
    }

    @Test
    void everyMapKeyTypeTheProcessorAcceptsReadsBackEqual() throws Exception {
        KeysJob job = new KeysJob();
        job.string = Map.of("k", "v");
        job.b = Map.of((byte) -1, "v");
        job.s = Map.of((short) 300, "v");
        job.i = Map.of(-7, "v");
        job.l = Map.of(Long.MAX_VALUE, "v");
        job.f = Map.of(1.5f, "v");
        job.d = Map.of(-0.25, "v");
        job.bigInteger = Map.of(new BigInteger("123456789012345678901234567890"), "v");
        job.bigDecimal = Map.of(new BigDecimal("1.10"), "v");
        job.uuid = Map.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "v");
        job.enumKeys = Map.of(java.time.DayOfWeek.FRIDAY, "v");

        KeysJob restored = roundTrip(job, KeysJob.class, KeysJob::new);

        for (Field field : fields(KeysJob.class)) {
            assertThat(field.get(restored)).as(field.getName()).isEqualTo(field.get(job));
        }
        Class<?> fieldTypes = Class.forName("dev.jobs.processor.FieldTypes");
        Field keys = fieldTypes.getDeclaredField("KEYS");
        keys.setAccessible(true);
        Set<String> covered = fields(KeysJob.class).stream()
                .map(f -> ((java.lang.reflect.ParameterizedType) f.getGenericType()).getActualTypeArguments()[0])
                .map(t -> ((Class<?>) t).getName())
                .collect(Collectors.toSet());
        @SuppressWarnings("unchecked")
        Set<String> accepted = (Set<String>) keys.get(null);
        assertThat(covered).containsAll(accepted);
    }

    static class CollectionsJob implements JobHandler<Void> {
        Set<String> set;
        SortedSet<String> sortedSet;
        NavigableSet<String> navigableSet;
        TreeSet<String> treeSet;
        SortedMap<String, Integer> sortedMap;
        NavigableMap<String, Integer> navigableMap;
        TreeMap<String, Integer> treeMap;
        Map<String, Set<Integer>> nested;

        public Void run(JobContext ctx) {
            return null;
        }
    }

    @Test
    void sortedCollectionsReadBackAsSortedOnes() {
        CollectionsJob job = new CollectionsJob();
        job.sortedSet = new TreeSet<>(List.of("m", "a"));
        job.navigableSet = new TreeSet<>(List.of("m", "a"));
        job.treeSet = new TreeSet<>(List.of("m", "a"));
        job.sortedMap = new TreeMap<>(Map.of("m", 1, "a", 2));
        job.navigableMap = new TreeMap<>(Map.of("m", 1, "a", 2));
        job.treeMap = new TreeMap<>(Map.of("m", 1, "a", 2));

        CollectionsJob restored = roundTrip(job, CollectionsJob.class, CollectionsJob::new);

        for (SortedSet<String> set : List.of(restored.sortedSet, restored.navigableSet, restored.treeSet)) {
            assertThat(set).isInstanceOf(TreeSet.class);
            set.add("b");
            assertThat(set).containsExactly("a", "b", "m");
        }
        for (SortedMap<String, Integer> map : List.of(restored.sortedMap, restored.navigableMap, restored.treeMap)) {
            assertThat(map).isInstanceOf(TreeMap.class);
            map.put("b", 3);
            assertThat(map.keySet()).containsExactly("a", "b", "m");
        }
    }

    @Test
    void setReadsBackInTheOrderItWasWritten() {
        CollectionsJob job = new CollectionsJob();
        job.set = new LinkedHashSet<>(List.of("z", "a", "m", "b"));
        job.nested = Map.of("k", new LinkedHashSet<>(List.of(3, 1, 2)));

        CollectionsJob restored = roundTrip(job, CollectionsJob.class, CollectionsJob::new);

        assertThat(restored.set).containsExactly("z", "a", "m", "b");
        assertThat(restored.nested.get("k")).containsExactly(3, 1, 2);
    }

    @Test
    void bigDecimalKeepsItsScale() {
        ScalarsJob job = new ScalarsJob();
        job.bigDecimal = new BigDecimal("1.10");
        assertThat(roundTrip(job, ScalarsJob.class, ScalarsJob::new).bigDecimal)
                .isEqualTo(new BigDecimal("1.10"))
                .hasScaleOf(2);
    }

    @Test
    void zonedDateTimeKeepsItsZone() {
        ScalarsJob job = new ScalarsJob();
        job.zonedDateTime = ZonedDateTime.of(2026, 1, 31, 10, 0, 0, 0, ZoneId.of("Asia/Tokyo"));
        assertThat(Objects.requireNonNull(roundTrip(job, ScalarsJob.class, ScalarsJob::new).zonedDateTime)
                        .getZone())
                .isEqualTo(ZoneId.of("Asia/Tokyo"));
    }
}
