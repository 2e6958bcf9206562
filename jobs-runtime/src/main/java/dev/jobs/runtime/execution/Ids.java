package dev.jobs.runtime.execution;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Job ids: UUID version 7 (a millisecond timestamp, a 12-bit counter, then random bits), so ids
 * sort by creation time, strictly increase within one process, and stay unique across processes
 * sharing one database without coordination.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
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
                counter = RANDOM.nextInt(0x800); // start low in the millisecond, leaving room to count up
            }
            lastMillis = millis;
            sequence = counter;
        }
        long msb = (millis << 16) | 0x7000L | sequence;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
