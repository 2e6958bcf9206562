package com.example;

import dev.jobs.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Dispatches the greeting job by name and checks its result; exits with 1 if it is wrong. */
public class Main {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Files.deleteIfExists(db);
        try (JobManager jobs = JobManager.builder().database(db).build()) {
            Object out = jobs.dispatchByName("greeting", "{\"name\": \"staging\"}")
                    .result()
                    .get(60, TimeUnit.SECONDS);
            if (!"hello staging".equals(out)) {
                System.err.println("host-project: expected 'hello staging', got " + out);
                System.exit(1);
            }
            System.out.println("host-project: the job ran: " + out);
        }
    }
}
