package dev.jobs.runtime;

import static dev.jobs.runtime.Support.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.InvalidParametersException;
import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.StepJob;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad dispatch parameters through {@link JobManager#dispatchByName}: each is refused with a clear
 * message, nothing is stored, and the job already stored is untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParameterInputTest {

    private JobManager jobs;
    private Path db;
    private UUID witness;
    private String witnessRow;

    @BeforeAll
    void storeAWitnessJob(@TempDir Path dir) throws Exception {
        db = dir.resolve("jobs.db");
        jobs = Support.open(db);
        witness = jobs.dispatch(new StepJob(2, null)).id();
        jobs.handle(witness).result().get(20, TimeUnit.SECONDS);
        witnessRow = row();
    }

    @AfterAll
    void close() {
        if (jobs != null) {
            jobs.close();
        }
    }

    private String row() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement();
                var r = s.executeQuery("SELECT status, hex(data), output FROM jobs WHERE id = '" + witness + "'")) {
            return r.next() ? r.getString(1) + " " + r.getString(2) + " " + r.getString(3) : "missing";
        }
    }

    private void assertNothingStoredAndWitnessIntact() throws Exception {
        assertThat(count(db, "SELECT count(*) FROM jobs")).as("rows").isOne();
        assertThat(row()).as("the stored job").isEqualTo(witnessRow);
        assertThat(jobs.info(witness).status()).isEqualTo(JobStatus.COMPLETED);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(String name, String json, String message)
            throws Exception {
        AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(
                        () -> jobs.dispatchByName(name, json))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessage(message);
        assertNothingStoredAndWitnessIntact();
        return thrown;
    }

    @Test
    void contentAfterTheObjectIsRefused() throws Exception {
        refused(
                "test.steps",
                "{\"steps\": 1}{\"steps\": 2}",
                "invalid parameters for job 'test.steps': unexpected content after the JSON object,"
                        + " at line 1, column 13; give exactly one object");
    }

    @Test
    void aKeyGivenTwiceIsRefused() throws Exception {
        refused(
                "test.steps",
                "{\"steps\": 1, \"steps\": 1000000}",
                "invalid parameters for job 'test.steps', field 'steps': is given twice; give each field once");
    }

    @Test
    void aNumberBeyondTheRangeOfADoubleIsRefused() throws Exception {
        refused(
                "test.types",
                "{\"precise\": -1e400}",
                "invalid parameters for job 'test.types', field 'precise': the number -1e400 is too large:"
                        + " numbers must be within the range of a double (about ±1.8e308)");
    }

    @Test
    void nanIsRefused() throws Exception {
        refused(
                "test.types",
                "{\"precise\": NaN}",
                "invalid parameters for job 'test.types', field 'precise': malformed JSON at line 1, column 16:"
                        + " NaN and Infinity are not numbers in JSON");
    }

    @Test
    void aLoneSurrogateIsRefused() throws Exception {
        refused(
                "test.steps",
                "{\"steps\": 1, \"sideFile\": \"\\uDBFF\"}",
                "invalid parameters for job 'test.steps', field 'sideFile': the string is not valid Unicode:"
                        + " it has a lone surrogate (\\uDBFF) at character 1");
    }

    @Test
    void jsonNestedTooDeeplyIsRefused() throws Exception {
        refused(
                "test.steps",
                "{\"steps\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
                "invalid parameters for job 'test.steps': the JSON is nested more than 1000 levels deep");
    }

    @Test
    void aStateFieldIsRefusedAsNotAParameter() throws Exception {
        refused(
                "test.steps",
                "{\"steps\": 5, \"next\": 4}",
                "invalid parameters for job 'test.steps', field 'next': is not a parameter;"
                        + " the job's parameters are: steps, sideFile, echo, stepMillis");
    }

    @Test
    void theJobsValidateMethodRefusesANegativeDelay() throws Exception {
        refused(
                        "test.delay",
                        "{\"delayMillis\": -5}",
                        "invalid parameters for job 'test.delay', field 'delayMillis': must be 0 or more, was -5")
                .extracting(e -> ((InvalidParametersException) e).field())
                .isEqualTo("delayMillis");
    }

    @Test
    void nullParametersAreAnIllegalArgument() throws Exception {
        assertThatThrownBy(() -> jobs.dispatchByName("test.steps", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no parameters given (use \"{}\" for none)");
        assertNothingStoredAndWitnessIntact();
    }

    @Test
    void aNullJobNameIsAnIllegalArgumentNotANullPointer() throws Exception {
        assertThatThrownBy(() -> jobs.dispatchByName(null, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no job name given");
        assertNothingStoredAndWitnessIntact();
    }

    @Test
    void parametersTheJobsValidateMethodAcceptsAreStoredAndRun() throws Exception {
        JobHandle<?> handle = jobs.dispatchByName("test.delay", "{\"delayMillis\": 5}");
        try {
            assertThat(handle.result().get(20, TimeUnit.SECONDS)).isEqualTo(5L);
        } finally {
            Support.sql(db, "DELETE FROM jobs WHERE id = '" + handle.id() + "'"); // keep one row for the others
        }
    }
}
