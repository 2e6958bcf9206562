package dev.jobs.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of one command: the session and process group its wrapper leads (started with
 * {@code setsid}), so that a signal reaches grandchildren too, and so that whether any of them is
 * left can be read from {@code /proc} (a process keeps its group when its parent dies). Where
 * {@code setsid} or {@code /proc} are missing (not Linux), the leader and its descendants as the
 * JDK sees them stand in for the group.
 */
final class ProcessGroup {

    static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

    private final long leader;
    private final boolean grouped;

    ProcessGroup(long leader, boolean grouped) {
        this.leader = leader;
        this.grouped = grouped;
    }

    long leader() {
        return leader;
    }

    /** The start time of the live process {@code pid}, in epoch millis, if there is one. */
    static Optional<Long> startOf(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> !zombie(pid))
                .flatMap(h -> h.info().startInstant())
                .map(java.time.Instant::toEpochMilli);
    }

    /** Whether {@code pid} has ended but not been reaped by its parent yet (Linux; false elsewhere). */
    private static boolean zombie(long pid) {
        if (!PROC) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false; // gone: isAlive said so or will
        }
    }

    /**
     * Sends {@code signal} to every process of the group; a group that is gone is no error. A
     * signal other than KILL is followed by CONT: a stopped process (SIGSTOP, SIGTSTP) would
     * otherwise hold it pending, and only KILL, later, would reach it.
     */
    void signal(Signal signal) {
        if (grouped) {
            kill(signal.name(), "-" + leader);
            if (signal != Signal.KILL) {
                kill("CONT", "-" + leader);
            }
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(leader).ifPresent(all::add);
        ProcessHandle.of(leader).ifPresent(h -> h.descendants().forEach(all::add));
        for (ProcessHandle h : all) {
            switch (signal) {
                case TERM -> h.destroy();
                case KILL -> h.destroyForcibly();
                default -> kill(signal.name(), Long.toString(h.pid()));
            }
            if (signal != Signal.KILL) {
                kill("CONT", Long.toString(h.pid()));
            }
        }
    }

    private static void kill(String signal, String target) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", target)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot run kill to send SIG" + signal + " to " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether any process of the group is still there (zombies, which have ended, do not count). */
    boolean anyAlive() {
        if (!grouped || !PROC) {
            return ProcessHandle.of(leader)
                    .map(h -> h.isAlive() || h.descendants().anyMatch(ProcessHandle::isAlive))
                    .orElse(false);
        }
        return !members().isEmpty();
    }

    /** The live processes whose process group is this one, read from {@code /proc}. */
    List<Long> members() {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException | RuntimeException gone) {
                    continue; // ended while we looked
                }
                int close = stat.lastIndexOf(')'); // the name, in parentheses, may hold spaces
                if (close < 0) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                // fields: state, ppid, pgrp, ...
                if (fields.length > 2
                        && !fields[0].equals("Z")
                        && !fields[0].equals("X")
                        && fields[2].equals(Long.toString(leader))) {
                    found.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read /proc to find the command's processes", e);
        }
        return found;
    }

    /** Waits up to {@code time} for every process of the group to end; returns whether they did. */
    boolean awaitGone(Duration time) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        while (anyAlive()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * The stop ladder: {@code first}, then TERM, then KILL, each after {@code grace} without the
     * group having ended; returns once no process of the group is left. Runs to the end even if
     * the thread is interrupted (the interrupt is kept).
     *
     * @return the signals that were sent
     */
    List<Signal> stop(Signal first, Duration grace) {
        List<Signal> ladder = new ArrayList<>(List.of(first));
        if (first != Signal.TERM && first != Signal.KILL) {
            ladder.add(Signal.TERM);
        }
        if (first != Signal.KILL) {
            ladder.add(Signal.KILL);
        }
        List<Signal> sent = new ArrayList<>();
        boolean interrupted = false;
        for (int i = 0; i < ladder.size(); i++) {
            if (!anyAlive()) {
                break;
            }
            signal(ladder.get(i));
            sent.add(ladder.get(i));
            boolean last = i == ladder.size() - 1;
            while (true) {
                try {
                    if (awaitGone(last ? Duration.ofSeconds(1) : grace) || !last) {
                        break;
                    }
                    signal(Signal.KILL); // a process started meanwhile: kill it too
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return sent;
    }
}
