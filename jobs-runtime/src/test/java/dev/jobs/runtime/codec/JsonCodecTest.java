package dev.jobs.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.jobs.InvalidParametersException;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import dev.jobs.runtime.testjobs.DelayJob_JobRegistration;
import dev.jobs.runtime.testjobs.FailingJob_JobRegistration;
import dev.jobs.runtime.testjobs.ParamsJob;
import dev.jobs.runtime.testjobs.ParamsJob_JobRegistration;
import dev.jobs.runtime.testjobs.StepJob_JobRegistration;
import dev.jobs.runtime.testjobs.TypesJob_JobRegistration;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Dispatch parameters: strict JSON, parameters only, clean messages, the job's validate(). */
class JsonCodecTest {

    private final JsonCodec codec = new JsonCodec();
    private static final JobRegistration<?> STEPS = new StepJob_JobRegistration();
    private static final JobRegistration<?> PARAMS = new ParamsJob_JobRegistration();
    private static final JobRegistration<?> TYPES = new TypesJob_JobRegistration();
    private static final JobRegistration<?> DELAY = new DelayJob_JobRegistration();

    private AbstractThrowableAssert<?, ? extends Throwable> refused(
            JsonCodec codec, JobRegistration<?> registration, String json, String field, String problem) {
        return assertThatThrownBy(() -> codec.jobFromParameters(registration, json))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessage("invalid parameters for job '" + registration.name() + "'"
                        + (field == null ? "" : ", field '" + field + "'") + ": " + problem)
                .satisfies(e ->
                        assertThat(((InvalidParametersException) e).field()).isEqualTo(field));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(
            JobRegistration<?> registration, String json, String field, String problem) {
        return refused(codec, registration, json, field, problem);
    }

    @SuppressWarnings("unchecked")
    private <O> O run(JobRegistration<?> registration, String json) throws Exception {
        return ((JobHandler<O>) codec.jobFromParameters(registration, json)).run(null);
    }

    // ------------------------------------------------------------------ strict JSON

    @Test
    void rejectsContentAfterTheObject() {
        refused(
                STEPS,
                "{\"steps\": 1} {}",
                null,
                "unexpected content after the JSON object, at line 1, column 14; give exactly one object");
    }

    @Test
    void rejectsAKeyGivenTwice() {
        refused(STEPS, "{\"steps\": 1, \"steps\": 2}", "steps", "is given twice; give each field once");
    }

    @Test
    void rejectsAKeyGivenTwiceInANestedObject() {
        refused(
                PARAMS,
                "{\"sources\": [], \"destination\": \"d\", \"options\": {\"verify\": true, \"verify\": false}}",
                "options.verify",
                "is given twice; give each field once");
    }

    @Test
    void rejectsANumberBeyondTheRangeOfADouble() {
        refused(
                TYPES,
                "{\"precise\": 1e400}",
                "precise",
                "the number 1e400 is too large: numbers must be within the range of a double (about ±1.8e308)");
    }

    @Test
    void rejectsNaN() {
        refused(
                TYPES,
                "{\"precise\": NaN}",
                "precise",
                "malformed JSON at line 1, column 16: NaN and Infinity are not numbers in JSON");
    }

    @Test
    void rejectsALoneSurrogateInAString() {
        refused(
                TYPES,
                "{\"tags\": [\"ok\", \"a\\uD800b\"]}",
                "tags[1]",
                "the string is not valid Unicode: it has a lone surrogate (\\uD800) at character 2");
    }

    @Test
    void rejectsALoneSurrogateInAKey() {
        refused(
                TYPES,
                "{\"x\\uDC00\": 1}",
                "x\\uDC00",
                "its name is not valid Unicode: it has a lone surrogate (\\uDC00) at character 2");
    }

    @Test
    void rejectsJsonNestedDeeperThanTheLimit() {
        String deep = "{\"tags\": " + "[".repeat(1001) + "]".repeat(1001) + "}";
        refused(TYPES, deep, null, "the JSON is nested more than 1000 levels deep");
    }

    @Test
    void rejectsAStringLongerThanTheLimit() {
        JsonCodec small = new JsonCodec(
                StreamReadConstraints.builder().maxStringLength(10).build());
        refused(
                small,
                TYPES,
                "{\"tags\": [\"" + "a".repeat(11) + "\"]}",
                "tags[0]",
                "the string is longer than 10 characters");
    }

    @Test
    void rejectsANumberLongerThanTheLimit() {
        refused(TYPES, "{\"amount\": " + "1".repeat(1001) + "}", "amount", "the number is longer than 1000 characters");
    }

    @Test
    void rejectsAnUnclosedObjectWithItsPosition() {
        refused(
                STEPS,
                "{\"steps\": 1",
                null,
                "malformed JSON at line 1, column 12: it ends before an object, array or string is closed");
    }

    @Test
    void rejectsAnUnquotedWord() {
        refused(
                STEPS,
                "{\"steps\": many}",
                "steps",
                "malformed JSON at line 1, column 15: unexpected 'many'; expected a value: a string in double quotes,"
                        + " a number, an object, an array, true, false or null");
    }

    @Test
    void rejectsATrailingComma() {
        refused(
                STEPS,
                "{\"steps\": 1,}",
                "steps",
                "malformed JSON at line 1, column 13: expected a field name in double quotes, found '}'");
    }

    @Test
    void rejectsBlankJson() {
        refused(STEPS, "  ", null, "no parameters given (use \"{}\" for none)");
    }

    @Test
    void rejectsNullJsonAsAnIllegalArgument() {
        assertThatThrownBy(() -> codec.jobFromParameters(STEPS, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no parameters given (use \"{}\" for none)");
    }

    @Test
    void rejectsANullJobNameAsAnIllegalArgument() {
        assertThatThrownBy(() -> JsonCodec.requireDispatchArguments(null, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no job name given");
    }

    @Test
    void messagesNeverShowJacksonsWords() {
        List<String> inputs = List.of(
                "{\"steps\": 1",
                "{\"steps\": 1} x",
                "{'steps': 1}",
                "{\"steps\" 1}",
                "{\"steps\": 01}",
                "{\"steps\": \"\\q\"}",
                "{\"steps\": \"a\nb\"}",
                "[1, 2}",
                "{\"steps\": -Infinity}",
                "{\"steps\": 1.5}",
                "{\"steps\": 99999999999}");
        for (String input : inputs) {
            assertThatThrownBy(() -> codec.jobFromParameters(STEPS, input))
                    .as(input)
                    .isInstanceOf(InvalidParametersException.class)
                    .message()
                    .doesNotContain("Source", "REDACTED", "jackson", "Jackson", "`", "JsonToken", "code ");
        }
    }

    // ------------------------------------------------------------------ parameters, not state

    @Test
    void rejectsAStateFieldAsNotAParameter() {
        refused(
                STEPS,
                "{\"steps\": 3, \"next\": 2}",
                "next",
                "is not a parameter; the job's parameters are: steps, sideFile, echo, stepMillis");
    }

    @Test
    void rejectsAnUnknownKeyBeforeReportingAMissingParameter() {
        refused(
                STEPS,
                "{\"stpes\": 3}",
                "stpes",
                "is not a parameter; the job's parameters are: steps, sideFile, echo, stepMillis");
    }

    @Test
    void rejectsAnyKeyForAJobWithoutParameters() {
        refused(
                new FailingJob_JobRegistration(),
                "{\"message\": \"x\"}",
                "message",
                "is not a parameter; the job takes no parameters (give {})");
    }

    @Test
    void rejectsAnUnknownFieldOfANestedObject() {
        refused(
                PARAMS,
                "{\"sources\": [], \"destination\": \"d\", \"options\": {\"retriez\": 2}}",
                "options.retriez",
                "is not a field of 'options'; its fields are: verify, retries");
    }

    @Test
    void stateFieldsKeepTheirConstructorValues() {
        StateCodec state = new StateCodec();
        JobHandler<?> job = codec.jobFromParameters(STEPS, "{\"steps\": 3}");
        assertThat(state.describe(state.encode(job))).containsEntry("steps", 3).containsEntry("next", 0);
    }

    // ------------------------------------------------------------------ types and ranges

    @Test
    void rejectsAnIntegerBeyondItsJavaType() {
        refused(
                STEPS,
                "{\"steps\": 3000000000}",
                "steps",
                "expected an integer from -2147483648 to 2147483647, got a number (3000000000)");
    }

    @Test
    void rejectsAByteOutOfRange() {
        refused(TYPES, "{\"small\": 300}", "small", "expected an integer from -128 to 127, got a number (300)");
    }

    @Test
    void rejectsAFloatOutOfRange() {
        refused(
                TYPES,
                "{\"ratio\": 1e39}",
                "ratio",
                "expected a number within the range of a float (about ±3.4e38), got a number (1E+39)");
    }

    @Test
    void rejectsMoreThanOneCharacterForAChar() {
        refused(TYPES, "{\"mark\": \"ab\"}", "mark", "expected a single character, got a string (\"ab\")");
    }

    @Test
    void rejectsAMalformedUuid() {
        refused(
                TYPES,
                "{\"id\": \"nope\"}",
                "id",
                "expected a UUID (such as 123e4567-e89b-12d3-a456-426614174000), got 'nope'");
    }

    @Test
    void rejectsAnImpossibleDate() {
        refused(
                TYPES,
                "{\"day\": \"2026-13-01\"}",
                "day",
                "expected a date in ISO-8601 form (such as 2026-01-31), got '2026-13-01'");
    }

    @Test
    void rejectsAMalformedMapKey() {
        refused(
                TYPES,
                "{\"byId\": {\"nope\": 1}}",
                "byId",
                "expected a UUID (such as 123e4567-e89b-12d3-a456-426614174000), got 'nope'");
    }

    @Test
    void rejectsTextThatIsNotBase64ForBytes() {
        refused(TYPES, "{\"blob\": \"!!!\"}", "blob", "expected base64 text, got '!!!'");
    }

    @Test
    void reportsARecordConstructorsRefusal() {
        refused(
                TYPES,
                "{\"range\": {\"from\": 5, \"to\": 1}}",
                "range",
                "could not create Range from the value given: from (5) is after to (1)");
    }

    @Test
    void bindsValidParametersExactly() throws Exception {
        String out = run(
                TYPES,
                "{\"id\": \"123e4567-e89b-12d3-a456-426614174000\", \"day\": \"2026-01-31\","
                        + " \"at\": \"2026-01-31T10:15:30Z\", \"timeout\": \"PT30S\", \"small\": -128, \"mark\": \"é\","
                        + " \"ratio\": 0.5, \"precise\": 1e300, \"amount\": 1.10, \"byId\": {\"123e4567-e89b-12d3-a456-426614174000\": 7},"
                        + " \"tags\": [\"b\", \"a\", \"c\"], \"range\": {\"from\": 1, \"to\": 2}}");
        assertThat(out)
                .isEqualTo(
                        "123e4567-e89b-12d3-a456-426614174000 2026-01-31 2026-01-31T10:15:30Z PT30S -128 é 0.5 1.0E300"
                                + " 1.10 {123e4567-e89b-12d3-a456-426614174000=7} [b, a, c] Range[from=1, to=2]");
    }

    @Test
    void explicitNullKeepsTheDefault() throws Exception {
        ParamsJob.Summary summary = run(PARAMS, "{\"sources\": [\"a\"], \"destination\": \"b\", \"mode\": null}");
        assertThat(summary.mode()).isEqualTo(ParamsJob.Mode.SAFE);
    }

    // ------------------------------------------------------------------ the job's validate()

    @Test
    void validateRefusalNamesTheField() {
        refused(DELAY, "{\"delayMillis\": -5}", "delayMillis", "must be 0 or more, was -5");
    }

    @Test
    void validateAcceptsGoodParameters() throws Exception {
        Long delay = run(DELAY, "{\"delayMillis\": 5}");
        assertThat(delay).isEqualTo(5L);
    }
}
