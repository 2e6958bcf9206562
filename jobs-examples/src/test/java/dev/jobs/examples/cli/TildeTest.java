package dev.jobs.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ~ in the parameters a job's schema declares as paths, and only there. */
class TildeTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"sources\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"format\":\"path\"}},"
            + "\"destination\":{\"type\":\"string\",\"format\":\"path\"},"
            + "\"label\":{\"type\":\"string\"}}}";

    @Test
    void expandsTildeInPathAndPathListParameters() {
        String expanded = Tilde.expandPathParameters(
                "{\"sources\":[\"~/a\",\"/b\",\"~\"],\"destination\":\"~/backup\"}", SCHEMA, "/home/u");

        assertThat(expanded)
                .isEqualTo("{\"sources\":[\"/home/u/a\",\"/b\",\"/home/u\"],\"destination\":\"/home/u/backup\"}");
    }

    @Test
    void leavesOtherStringsAndOtherUsersHomesAlone() {
        String params = "{\"destination\":\"~bob/x\",\"label\":\"~/not a path\"}";

        assertThat(Tilde.expandPathParameters(params, SCHEMA, "/home/u")).isEqualTo(params);
    }

    @Test
    void leavesMalformedJsonForTheDispatchToReport() {
        assertThat(Tilde.expandPathParameters("{\"sources\": [", SCHEMA, "/home/u"))
                .isEqualTo("{\"sources\": [");
    }
}
