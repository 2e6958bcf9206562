package dev.jobs.runtime.execution;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Job ids: UUID version 7 (a millisecond timestamp, a 12-bit counter, then random bits), so ids
 * sort by creation time, strictly increase within one process, and stay unique across processes
 * sharing one database without coordination (62 random bits per millisecond and counter value;
 * they need to be unique, not unguessable, so a fast non-cryptographic generator is used).
 */
public final class Ids {
    private static long lastMillis;
    private static int counter;

    private Ids() {}

    public static UUID next() {
        long millis;
        int sequence;
        synchronized (Ids.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                counter++;
                if (counter > 0xFFF) {
                    millis++;
                    counter = 0;
                }
            } else {
                counter = ThreadLocalRandom.current()
                        .nextInt(0x800); // start low in the millisecond, leaving room to count up
            }
            lastMillis = millis;
            sequence = counter;
        }
        long msb = (millis << 16) | 0x7000L | sequence;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
