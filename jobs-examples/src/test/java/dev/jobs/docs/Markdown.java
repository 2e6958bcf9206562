package dev.jobs.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the fenced code blocks of a Markdown page. */
final class Markdown {

    /**
     * One fenced code block.
     *
     * @param page the page's name, as failures show it ({@code docs/writing-jobs.md})
     * @param fenceLine the line of the opening fence, from 1
     * @param language the first word of the info string ({@code java})
     * @param flags the other words of the info string ({@code compile-error})
     * @param lines the block's lines, without the fence's indentation
     * @param next the text of the next fenced block of the page, or "" if none
     */
    record Block(String page, int fenceLine, String language, List<String> flags, List<String> lines, String next) {

        /** The page line of the block's {@code i}-th line (from 0). */
        int lineOf(int i) {
            return fenceLine + 1 + i;
        }

        String where() {
            return page + ":" + fenceLine;
        }

        String text() {
            return String.join("\n", lines);
        }
    }

    private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([^`\\s]*)(.*)$");

    private Markdown() {}

    /** Every fenced block of {@code text}, in order. */
    static List<Block> blocks(String page, String text) {
        String[] lines = text.split("\n", -1);
        record Raw(int fenceLine, String language, List<String> flags, List<String> lines) {}
        List<Raw> raw = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            List<String> flags = List.of(open.group(4).trim().split("\\s+")).stream()
                    .filter(s -> !s.isEmpty())
                    .toList();
            List<String> body = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.length; j++) {
                String line = lines[j];
                String trimmed = line.strip();
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == fence.charAt(0))) {
                    break;
                }
                int strip = 0;
                while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
                    strip++;
                }
                body.add(line.substring(strip));
            }
            raw.add(new Raw(i + 1, open.group(3), flags, List.copyOf(body)));
            i = j;
        }
        List<Block> blocks = new ArrayList<>();
        for (int k = 0; k < raw.size(); k++) {
            Raw r = raw.get(k);
            String next = k + 1 < raw.size() ? String.join("\n", raw.get(k + 1).lines()) : "";
            blocks.add(new Block(page, r.fenceLine(), r.language(), r.flags(), r.lines(), next));
        }
        return blocks;
    }
}
