package dev.jobs.runtime.execution;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Job ids: UUID version 7 (a millisecond timestamp, then random bits), so ids sort by creation
 * time and stay unique across processes sharing one database without coordination.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static UUID next() {
        long millis = System.currentTimeMillis();
        long rand = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
