package dev.jobs.runtime.testjobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Latches shared between a test and the jobs it runs (jobs are restored copies, so they look gates up by key). */
public final class Gates {
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

    private Gates() {}

    public static CountDownLatch get(String key) {
        return LATCHES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    public static void open(String key) {
        get(key).countDown();
    }

    public static boolean await(String key, long millis) throws InterruptedException {
        return get(key).await(millis, TimeUnit.MILLISECONDS);
    }
}
