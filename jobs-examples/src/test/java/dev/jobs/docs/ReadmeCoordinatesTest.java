package dev.jobs.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Maven coordinates README.md gives are those {@code .ci/release-check} builds a fresh host
 * project with: each {@code ```xml} block of the README's "Maven coordinates" section appears in
 * {@code .ci/host-project/pom.xml} (whitespace aside), so a README that drifts fails here.
 */
class ReadmeCoordinatesTest {
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theHostProjectUsesTheReadmesCoordinatesVerbatim() throws Exception {
        Path root = DocSnippetsTest.repositoryRoot();
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf("## Maven coordinates");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("README.md has a 'Maven coordinates' section").isNotNegative();
        List<String> blocks = new ArrayList<>();
        Matcher m = XML_BLOCK.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        while (m.find()) {
            blocks.add(squeeze(m.group(1)));
        }
        assertThat(blocks).as("the section's xml blocks").hasSizeGreaterThanOrEqualTo(2);
        String host = squeeze(Files.readString(root.resolve(".ci/host-project/pom.xml")));
        for (String block : blocks) {
            assertThat(host).as("the host project's pom").contains(block);
        }
    }

    private static String squeeze(String xml) {
        return xml.replaceAll("\\s+", " ").replaceAll("> <", "><").trim();
    }
}
