package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.ChainInfo;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/** How a job is tied to others, as {@code list} and {@code status} show it: its parent, its chain, its children. */
final class Relations {

    private Relations() {}

    static String shortId(UUID id) {
        return id.toString().substring(0, 8);
    }

    /** One line for {@code list}: "child of 1a2b3c4d", "chain 5e6f7a8b, after 9c0d1e2f", "waiting for 3 of 5 children". */
    static Optional<String> summary(JobManager jobs, JobInfo job) {
        StringBuilder s = new StringBuilder();
        job.parent().ifPresent(p -> s.append("child of ").append(shortId(p)));
        job.chain().ifPresent(c -> {
            append(s, "chain " + shortId(c));
            if (job.status() == JobStatus.WAITING) {
                job.after().ifPresent(a -> s.append(", after ").append(shortId(a)));
            }
        });
        if (job.status() == JobStatus.WAITING && job.chain().isEmpty()) {
            List<JobInfo> children = jobs.children(job.id());
            long active = children.stream().filter(c -> c.status().isActive()).count();
            append(s, "waiting for " + active + " of " + children.size() + " children");
        }
        return s.length() == 0 ? Optional.empty() : Optional.of(s.toString());
    }

    private static void append(StringBuilder s, String part) {
        if (s.length() > 0) {
            s.append(", ");
        }
        s.append(part);
    }

    /** The lines {@code status} prints for the job's parent, chain and children (none if it has none). */
    static List<String> details(JobManager jobs, JobInfo job) {
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        job.parent().ifPresent(p -> lines.add("parent:     " + p));
        job.chain().ifPresent(c -> {
            ChainInfo chain = jobs.findChain(c).orElseThrow().info();
            lines.add("chain:      " + c + " (" + chain.status() + ", " + Math.round(chain.progress() * 100) + "%)");
            int n = 1;
            for (JobInfo step : chain.steps()) {
                lines.add("  step " + n++ + ": " + step.id() + "  " + step.name() + "  " + step.status()
                        + (step.id().equals(job.id()) ? "  <- this job" : ""));
            }
        });
        List<JobInfo> children = jobs.children(job.id());
        if (!children.isEmpty()) {
            Map<JobStatus, Long> byStatus = new TreeMap<>(
                    children.stream().collect(Collectors.groupingBy(JobInfo::status, Collectors.counting())));
            lines.add("children:   " + children.size() + " ("
                    + byStatus.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT))
                            .collect(Collectors.joining(", "))
                    + ")");
            int shown = 0;
            for (JobInfo child : children) {
                if (shown++ == 20) {
                    lines.add("  ... " + (children.size() - 20) + " more (jobctl list --all shows them)");
                    break;
                }
                lines.add("  " + child.id() + "  " + child.name() + "  " + child.status() + "  "
                        + Shared.percent(child).trim());
            }
        }
        return lines;
    }
}
