package com.supportress.incident;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * The first response to an Idempotency-Key, kept for the idempotency window. The key is stored hashed
 * (it is the client's string), and the request fingerprint tells a true repeat from a reused key. The body is
 * stored without the follow-up token, which is kept only sealed under the key ({@link FollowUpTokens#seal}).
 */
public record IdempotencyRecord(String key, String fingerprint, int status, String body, String sealedToken, Instant expiresAt) {

    static String partitionKey(String key) {
        return "idempotency#" + sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    static String fingerprint(byte[] requestBody) {
        return sha256(requestBody);
    }

    Map<String, AttributeValue> toItem() {
        return Map.of(
                "pk", AttributeValue.fromS(partitionKey(key)),
                "fingerprint", AttributeValue.fromS(fingerprint),
                "status", IncidentStore.number(status),
                "body", AttributeValue.fromS(body),
                "sealedToken", AttributeValue.fromS(sealedToken),
                "expiresAt", IncidentStore.number(expiresAt.getEpochSecond()));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
