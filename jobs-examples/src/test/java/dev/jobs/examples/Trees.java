package dev.jobs.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Sample trees of real files for the examples' tests. */
final class Trees {
    private Trees() {}

    /** {@code dirs} folders of {@code textFiles} text files and one binary file of {@code binaryBytes} each. */
    static Path make(Path root, int dirs, int textFiles, int binaryBytes) throws IOException {
        Random random = new Random(7);
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectories(root.resolve("dir" + d));
            for (int i = 0; i < textFiles; i++) {
                StringBuilder text = new StringBuilder();
                for (int l = 0; l < 10 + i; l++) {
                    text.append("line ").append(l).append('\n');
                }
                Files.writeString(dir.resolve("file" + i + ".txt"), text, StandardCharsets.UTF_8);
            }
            byte[] bytes = new byte[binaryBytes];
            random.nextBytes(bytes);
            Files.write(dir.resolve("blob.bin"), bytes);
        }
        return root;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Every entry under {@code root}, by path relative to it: a file's SHA-256, "dir" for a
     * directory. Two equal snapshots mean nothing under {@code root} was created, removed or changed.
     */
    static java.util.SortedMap<String, String> snapshot(Path root) throws Exception {
        java.util.SortedMap<String, String> entries = new java.util.TreeMap<>();
        try (var all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                entries.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha256(p));
            }
        }
        return entries;
    }

    static void assertSameTree(Path expected, Path actual) throws Exception {
        try (var files = Files.walk(expected)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path copy = actual.resolve(expected.relativize(f));
                org.assertj.core.api.Assertions.assertThat(copy).exists();
                org.assertj.core.api.Assertions.assertThat(sha256(copy))
                        .as("content of %s", copy)
                        .isEqualTo(sha256(f));
            }
        }
    }
}
