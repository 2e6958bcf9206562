package dev.jobs.process;

import dev.jobs.JobContext;
import dev.jobs.LogLevel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * Turns a command's output lines into the job's log and progress, within the command's log
 * limits: lines are logged until the byte budget is spent, then only counted, the last few kept
 * to be logged at the end after a line saying how many were left out.
 */
final class OutputLog {

    private static final int LAST = 20;

    private final JobContext ctx;
    private final Command command;
    private final CommandRun state;
    private final ArrayDeque<String> last = new ArrayDeque<>();
    private final ArrayDeque<String> lastErrors = new ArrayDeque<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final ArrayDeque<String> errorTail = new ArrayDeque<>();

    OutputLog(JobContext ctx, Command command, CommandRun state) {
        this.ctx = ctx;
        this.command = command;
        this.state = state;
    }

    OutputFile.Sink stdout() {
        return (text, update, dropped) -> accept(text, update, dropped, false);
    }

    OutputFile.Sink stderr() {
        return (text, update, dropped) -> accept(text, update, dropped, true);
    }

    private void accept(String text, boolean update, long dropped, boolean error) {
        Optional<dev.jobs.Progress> progress = command.progress().parse(text);
        progress.ifPresent(ctx::progress);
        if (update) {
            return; // a redrawn progress line: not logged
        }
        // NUL cannot be stored in a PostgreSQL text column: shown as U+FFFD, as undecodable bytes are
        String line =
                (dropped > 0 ? text + " [... " + dropped + " more characters]" : text).replace('\u0000', '\uFFFD');
        keep(error ? lastErrors : last, line, LAST);
        long size = line.length() + 1L;
        if (state.loggedBytes + size <= command.maxLoggedBytes()) {
            state.loggedBytes += size;
            ctx.log(error ? command.stderrLevel() : LogLevel.INFO, line);
        } else {
            state.skippedLines++;
            keep(error ? errorTail : tail, line, command.tailLines());
        }
    }

    private static void keep(ArrayDeque<String> lines, String line, int max) {
        if (max == 0) {
            return;
        }
        if (lines.size() == max) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Logs the lines kept past the budget, after a line saying how many were not logged. */
    void finish() {
        if (state.skippedLines == 0) {
            return;
        }
        ctx.log(
                LogLevel.WARN,
                "[... " + state.skippedLines + " lines of output were not logged: the log keeps "
                        + command.maxLoggedBytes() + " bytes of a command's output; the last " + tail.size()
                        + " of standard output and " + errorTail.size() + " of standard error follow]");
        for (String line : errorTail) {
            ctx.log(command.stderrLevel(), line);
        }
        for (String line : tail) {
            ctx.log(LogLevel.INFO, line);
        }
        tail.clear();
        errorTail.clear();
    }

    List<String> lastLines() {
        return List.copyOf(last);
    }

    List<String> lastErrors() {
        return List.copyOf(lastErrors);
    }
}
