package dev.jobs;

import java.util.List;

/**
 * No job with the given name is registered. The message lists the names that are, which is usually
 * enough to spot a typo or a jar missing from the classpath.
 */
public class UnknownJobException extends JobException {
    private final String name;
    private final List<String> knownNames;

    public UnknownJobException(String name, List<String> knownNames) {
        super("unknown job '" + name + "'; known jobs: "
                + (knownNames.isEmpty()
                        ? "(none: is the jobs-processor on the annotation processor path?)"
                        : String.join(", ", knownNames)));
        this.name = name;
        this.knownNames = List.copyOf(knownNames);
    }

    public String name() {
        return name;
    }

    public List<String> knownNames() {
        return knownNames;
    }
}
