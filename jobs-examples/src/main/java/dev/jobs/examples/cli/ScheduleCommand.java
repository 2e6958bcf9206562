package dev.jobs.examples.cli;

import dev.jobs.CatchUp;
import dev.jobs.JobPriority;
import dev.jobs.Overlap;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.Schedule;
import dev.jobs.runtime.ScheduleInfo;
import dev.jobs.runtime.ScheduleSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jobctl schedule ...}: the recurring schedules of the database. */
@Command(
        name = "schedule",
        description =
                "Manage recurring schedules; a running `jobctl worker --forever` (or any manager with workers) ticks them.",
        subcommands = {
            ScheduleCommand.Add.class,
            ScheduleCommand.ListSchedules.class,
            ScheduleCommand.Pause.class,
            ScheduleCommand.Resume.class,
            ScheduleCommand.Remove.class,
            ScheduleCommand.RunNow.class
        })
final class ScheduleCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Spec
    CommandSpec spec;

    /** {@code jobctl schedule} without a subcommand. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "no schedule command given; the commands are "
                        + String.join(", ", spec.subcommands().keySet()));
    }

    static JobCtl.Failure notFound(String name) {
        return new JobCtl.Failure(
                JobCtl.NOT_FOUND, "no schedule is called '" + name + "'; `jobctl schedule list` shows the schedules");
    }

    /** The schedule called {@code name}, or exit code 3. */
    static ScheduleInfo require(JobManager jobs, String name) {
        return jobs.schedules().find(name).orElseThrow(() -> notFound(name));
    }

    /** How list and add show a schedule's catch-up policy: {@code ONCE}, or {@code ALL(cap)}. */
    static String catchUp(ScheduleSpec spec) {
        return spec.catchUp() == CatchUp.ALL
                ? "ALL(" + spec.catchUpCap() + ")"
                : spec.catchUp().name();
    }

    /**
     * The next run: a time; "due now" when an every or fixed-delay tick is due; for a cron schedule
     * no manager with workers has looked at since it was written (its check is due), "pending (a
     * worker computes it)", as only a ticking manager computes cron times; "-" while paused;
     * "after the active run" while a tick waits for it.
     */
    static String nextRun(ScheduleInfo info) {
        if (info.nextCheck().isPresent()) {
            java.time.Instant at = info.nextCheck().get();
            if (at.isAfter(java.time.Instant.now())) {
                return Shared.time(at);
            }
            return info.spec().schedule().kind() == Schedule.Kind.CRON ? "pending (a worker computes it)" : "due now";
        }
        return info.paused() ? "-" : "after the active run";
    }

    @Command(
            name = "add",
            description = "Create a schedule, or change the one of that name. Give exactly one of --cron, --every and"
                    + " --fixed-delay. Creates the database if it does not exist.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name (unique in the database).")
        String name;

        @Parameters(index = "1", paramLabel = "JOB", description = "The job each tick dispatches (see `jobctl types`).")
        String job;

        @Parameters(
                index = "2",
                arity = "0..1",
                defaultValue = "{}",
                paramLabel = "PARAMS_JSON",
                description = "The job's parameters as a JSON object (default {}); ~ in a path parameter is your home"
                        + " directory.")
        String params;

        @Option(
                names = "--cron",
                paramLabel = "EXPR",
                description = "A cron expression: 5 fields (minute hour day month weekday), 6 with seconds first, or"
                        + " @daily, @hourly, ...")
        String cron;

        @Option(
                names = "--zone",
                paramLabel = "ZONE",
                description = "The time zone of --cron (default: this machine's, ${sys:user.timezone}).")
        String zone;

        @Option(
                names = "--every",
                paramLabel = "DURATION",
                description = "A fixed rate from now: 90s, 5m, 1h30m, 1d or ISO-8601 (PT5M); at least 1s.")
        String every;

        @Option(
                names = "--fixed-delay",
                paramLabel = "DURATION",
                description = "Now, then this long after the end of each run (no overlap).")
        String fixedDelay;

        @Option(
                names = "--catch-up",
                paramLabel = "POLICY",
                converter = CatchUpConverter.class,
                description = "Ticks missed while nothing ran: skip, once (default) or all.")
        CatchUp catchUp;

        @Option(
                names = "--cap",
                paramLabel = "N",
                description = "With --catch-up all: the most missed ticks run at once (default 100).")
        Integer cap;

        @Option(
                names = "--overlap",
                paramLabel = "POLICY",
                converter = OverlapConverter.class,
                description = "A tick while the previous run is active: skip (default), queue or allow.")
        Overlap overlap;

        @Option(
                names = "--priority",
                defaultValue = "NORMAL",
                paramLabel = "PRIORITY",
                description = "Of its jobs: LOW, NORMAL, HIGH or CRITICAL.")
        JobPriority priority;

        @Override
        public Integer call() {
            Schedule schedule = schedule();
            if (cap != null && catchUp != CatchUp.ALL) {
                throw usage("--cap applies to --catch-up all only");
            }
            if (cap != null && cap < 1) {
                throw usage("--cap must be at least 1: " + cap);
            }
            JobCtl root = parent.root;
            try (JobManager jobs = root.creatingClient()) {
                // an unknown job fails here (exit 3), before anything is stored
                String parameters =
                        Tilde.expandPathParameters(params, jobs.schema(job), System.getProperty("user.home"));
                ScheduleSpec s = ScheduleSpec.of(name, schedule, job, parameters)
                        .withOverlap(overlap == null ? Overlap.SKIP : overlap)
                        .withPriority(priority);
                if (catchUp == CatchUp.ALL) {
                    s = s.withCatchUpAll(cap == null ? 100 : cap);
                } else if (catchUp != null) {
                    s = s.withCatchUp(catchUp);
                }
                ScheduleInfo info = jobs.schedules().upsert(s);
                root.out.println("schedule " + info.name() + ": "
                        + info.spec().schedule().text() + ", job "
                        + info.spec().jobName() + " " + info.spec().parameters() + ", catch-up "
                        + catchUp(info.spec()) + ", overlap " + info.spec().overlap() + ", priority "
                        + info.spec().priority() + (info.paused() ? ", paused" : ""));
                root.out.println("next run: " + nextRun(info));
                return 0;
            }
        }

        /** The one schedule the options give, or a usage error saying what is wrong. */
        private Schedule schedule() {
            List<String> given = new ArrayList<>();
            if (cron != null) {
                given.add("--cron");
            }
            if (every != null) {
                given.add("--every");
            }
            if (fixedDelay != null) {
                given.add("--fixed-delay");
            }
            if (given.size() != 1) {
                throw usage(
                        given.isEmpty()
                                ? "give one of --cron, --every and --fixed-delay"
                                : String.join(" and ", given) + " cannot be combined; give one of --cron, --every and"
                                        + " --fixed-delay");
            }
            if (zone != null && cron == null) {
                throw usage("--zone applies to --cron only");
            }
            try {
                if (cron != null) {
                    return Schedule.cron(cron, zone());
                }
                return every != null ? Schedule.parse("every " + every) : Schedule.parse("fixed-delay " + fixedDelay);
            } catch (IllegalArgumentException e) {
                throw usage("invalid value for option '" + given.get(0) + "': " + JobCtl.oneLine(e));
            }
        }

        private ZoneId zone() {
            if (zone == null) {
                return ZoneId.systemDefault();
            }
            try {
                return ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw usage("invalid value for option '--zone': '" + zone
                        + "' is not a time zone (e.g. UTC or Europe/Paris)");
            }
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Command(name = "list", description = "List the schedules with their next run.")
    static final class ListSchedules implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Override
        public Integer call() {
            JobCtl root = parent.root;
            try (JobManager jobs = root.client()) {
                List<ScheduleInfo> all = jobs.schedules().list();
                if (all.isEmpty()) {
                    root.out.println("no schedules (`jobctl schedule add` creates one)");
                    return 0;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {
                    "NAME", "SCHEDULE", "JOB", "CATCH-UP", "OVERLAP", "PAUSED", "NEXT RUN", "LAST TICK", "DROPPED"
                });
                for (ScheduleInfo s : all) {
                    rows.add(new String[] {
                        s.name(),
                        s.spec().schedule().text(),
                        s.spec().jobName(),
                        catchUp(s.spec()),
                        s.spec().overlap().name(),
                        s.paused() ? "yes" : "no",
                        nextRun(s),
                        s.lastTick().map(Shared::time).orElse("-"),
                        Long.toString(s.droppedTicks())
                    });
                }
                printTable(root, rows);
                return 0;
            }
        }

        /** Columns as wide as their widest cell, two spaces apart; the last one is not padded. */
        private static void printTable(JobCtl root, List<String[]> rows) {
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(
                            i == row.length - 1
                                    ? row[i]
                                    : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row[i]));
                }
                root.out.println(line.toString().stripTrailing());
            }
        }
    }

    /** A subcommand about one schedule, named by its name. */
    abstract static class Named implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Parameters(paramLabel = "NAME", description = "The schedule's name (see `jobctl schedule list`).")
        String name;
    }

    @Command(
            name = "pause",
            description = "Hold a schedule's ticks until `schedule resume`; its running job is not touched.")
    static final class Pause extends Named {
        @Override
        public Integer call() {
            try (JobManager jobs = parent.root.client()) {
                require(jobs, name);
                jobs.schedules().pause(name);
                parent.root.out.println("paused schedule " + name);
                return 0;
            }
        }
    }

    @Command(
            name = "resume",
            description = "Let a paused schedule tick again; missed ticks follow its catch-up policy.")
    static final class Resume extends Named {
        @Override
        public Integer call() {
            try (JobManager jobs = parent.root.client()) {
                require(jobs, name);
                jobs.schedules().resume(name);
                ScheduleInfo info = require(jobs, name);
                parent.root.out.println("resumed schedule " + name + "; next run: " + nextRun(info));
                return 0;
            }
        }
    }

    @Command(name = "rm", description = "Delete a schedule; the jobs it created stay.")
    static final class Remove extends Named {
        @Override
        public Integer call() {
            try (JobManager jobs = parent.root.client()) {
                if (!jobs.schedules().delete(name)) {
                    throw notFound(name);
                }
                parent.root.out.println("deleted schedule " + name);
                return 0;
            }
        }
    }

    @Command(
            name = "run-now",
            description = "Dispatch the schedule's job now, outside its ticks (also when paused); prints the job's id.")
    static final class RunNow extends Named {
        @Override
        public Integer call() {
            try (JobManager jobs = parent.root.client()) {
                require(jobs, name);
                JobHandle<?> handle = jobs.schedules().triggerNow(name);
                parent.root.out.println("job " + handle.id() + " ("
                        + require(jobs, name).spec().jobName() + ") queued for schedule " + name);
                return 0;
            }
        }
    }

    /** skip, once or all, in any case. */
    static final class CatchUpConverter implements CommandLine.ITypeConverter<CatchUp> {
        @Override
        public CatchUp convert(String value) {
            return enumValue(CatchUp.class, value, "skip, once or all");
        }
    }

    /** skip, queue or allow, in any case. */
    static final class OverlapConverter implements CommandLine.ITypeConverter<Overlap> {
        @Override
        public Overlap convert(String value) {
            return enumValue(Overlap.class, value, "skip, queue or allow");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String allowed) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + allowed);
        }
    }
}
