package dev.jobs.web;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Logs each line the test gives it ({@link #say}), and ends at the line "bye". */
@Job(name = "web.talk")
public class TalkJob implements JobHandler<Void> {
    private static final Map<String, BlockingQueue<String>> LINES = new ConcurrentHashMap<>();

    @Param
    String key;

    TalkJob() {}

    static void say(String key, String line) {
        lines(key).add(line);
    }

    private static BlockingQueue<String> lines(String key) {
        return LINES.computeIfAbsent(key, k -> new LinkedBlockingQueue<>());
    }

    @Override
    public Void run(JobContext ctx) throws Exception {
        while (true) {
            String line = lines(key).poll(5, TimeUnit.MILLISECONDS);
            if (line == null) {
                ctx.checkInterrupt();
            } else if (line.equals("bye")) {
                return null;
            } else {
                ctx.log(line);
            }
        }
    }
}
