package dev.jobs.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which machine, and which boot of it, a process id belongs to: the host name and, on Linux, the
 * kernel's boot id (a new one at every boot, when process ids start over).
 */
final class Machine {
    private Machine() {}

    private static final String ID = read();

    static String id() {
        return ID;
    }

    private static String read() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        Path bootId = Path.of("/proc/sys/kernel/random/boot_id");
        try {
            return host + " boot " + Files.readString(bootId).strip();
        } catch (IOException | RuntimeException e) {
            return host;
        }
    }
}
