package dev.jobs.runtime.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How webhook requests are signed, and how a receiver written in Java checks them.
 *
 * <p>The signed content is the {@value #TIMESTAMP_HEADER} header's value (epoch seconds, as
 * text), a full stop, then the request body exactly as received (its bytes, before any parsing).
 * The {@value #SIGNATURE_HEADER} header is {@code sha256=} followed by the lowercase hex HMAC-SHA256
 * of that content, keyed with the shared secret's UTF-8 bytes. Signing the timestamp lets a
 * receiver refuse an old request replayed by someone who captured it.
 *
 * <pre>{@code
 * byte[] body = exchange.getRequestBody().readAllBytes();
 * String ts = exchange.getRequestHeaders().getFirst("X-Jobs-Timestamp");
 * String sig = exchange.getRequestHeaders().getFirst("X-Jobs-Signature");
 * boolean fresh = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(ts)) < 300;
 * if (!fresh || !WebhookSignature.verify(secret, ts, body, sig)) { reject with 401 }
 * }</pre>
 */
public final class WebhookSignature {

    /** {@code sha256=<hex>}. */
    public static final String SIGNATURE_HEADER = "X-Jobs-Signature";
    /** When the request was signed, in seconds since the epoch; part of the signed content. */
    public static final String TIMESTAMP_HEADER = "X-Jobs-Timestamp";
    /** The notification's id, the same on every attempt to deliver it. */
    public static final String DELIVERY_HEADER = "X-Jobs-Delivery";
    /** The event type ({@link JobEventType}'s name). */
    public static final String EVENT_HEADER = "X-Jobs-Event";
    /** 1 for the first attempt, then +1 per retry. */
    public static final String ATTEMPT_HEADER = "X-Jobs-Attempt";

    private WebhookSignature() {}

    /** The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code timestamp}. */
    public static String sign(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e); // every JVM has it
        }
    }

    /**
     * Whether {@code signatureHeader} is the signature of {@code body} at {@code timestamp} with
     * {@code secret} (compared in constant time). Check the timestamp's age yourself.
     */
    public static boolean verify(String secret, String timestamp, byte[] body, String signatureHeader) {
        if (secret == null || timestamp == null || body == null || signatureHeader == null) {
            return false;
        }
        String expected = sign(secret.getBytes(StandardCharsets.UTF_8), timestamp, body);
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }
}
