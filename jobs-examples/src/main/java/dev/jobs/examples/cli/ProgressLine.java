package dev.jobs.examples.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * jobctl's progress bar line: {@code file_copy  41% [========>           ] file 2/3 img1.raw, 6.5 MiB/s, ETA 6s}.
 *
 * <p>The bar counts in {@link #SCALE} steps (hundredths of a percent) and shows whole percents,
 * rounded down so that 100% means done. It shows one ETA: the job's own when its message has one,
 * else one estimated from the progress made since the bar started (not since the job started, so a
 * resumed job's earlier runs do not count as speed).
 */
final class ProgressLine implements ProgressBarRenderer {

    /** The bar's maximum: progress fractions are multiplied by this. */
    static final long SCALE = 10_000;

    private static final int CELLS = 24;

    @Override
    public String render(ProgressState state, int maxLength) {
        return line(
                state.getTaskName(),
                state.getCurrent(),
                state.getStart(),
                state.getMax(),
                state.getElapsedAfterStart(),
                state.getExtraMessage(),
                maxLength);
    }

    /** The bar at {@code current} of {@code max}, having started at {@code start} {@code elapsed} ago. */
    static String line(String name, long current, long start, long max, Duration elapsed, String message, int width) {
        long clamped = Math.max(0, Math.min(current, max));
        int percent = max <= 0 ? 0 : (int) (clamped * 100 / max);
        int filled = max <= 0 ? 0 : (int) (clamped * CELLS / max);
        StringBuilder line = new StringBuilder();
        line.append(name)
                .append(' ')
                .append(String.format(java.util.Locale.ROOT, "%3d%%", percent))
                .append(" [");
        for (int i = 0; i < CELLS; i++) {
            line.append(i < filled ? '=' : i == filled && filled < CELLS ? '>' : ' ');
        }
        line.append(']');
        String text = message == null ? "" : message.strip();
        if (!text.contains("ETA")) {
            String eta = eta(clamped - start, max - clamped, elapsed);
            text = text.isEmpty() ? eta : eta.isEmpty() ? text : text + ", " + eta;
        }
        if (!text.isEmpty()) {
            line.append(' ').append(text);
        }
        if (width > 3 && line.length() > width) {
            line.setLength(width - 3);
            line.append("...");
        }
        return line.toString();
    }

    /** "ETA 1m05s" from the rate of {@code done} steps in {@code elapsed}, or "" when there is no rate yet. */
    static String eta(long done, long left, Duration elapsed) {
        if (done <= 0 || elapsed.toMillis() < 500) {
            return "";
        }
        long seconds = (long) Math.ceil(elapsed.toMillis() / 1000.0 * left / done);
        if (seconds < 60) {
            return "ETA " + seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(java.util.Locale.ROOT, "ETA %dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(java.util.Locale.ROOT, "ETA %dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
