package com.supportress.billing;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Chargebee signs nothing; it sends the HTTP Basic credentials configured on the webhook. Both parts are
 * compared in constant time (over SHA-256 digests, so not even the length leaks), and every way of being
 * wrong gets the same 401. Without a usable configured login every delivery gets 503.
 */
@Singleton
public class ChargebeeAuthenticator {

    static final String CHALLENGE = "Basic realm=\"chargebee-webhooks\", charset=\"UTF-8\"";

    private final WebhookSecretsSource secrets;

    public ChargebeeAuthenticator(WebhookSecretsSource secrets) {
        this.secrets = secrets;
    }

    public void authenticate(Optional<String> authorization) {
        WebhookSecrets.ChargebeeLogin expected = MissingCredentials.require(secrets.current().chargebee(), "Chargebee");
        byte[] presented = authorization
                .filter(value -> value.regionMatches(true, 0, "Basic ", 0, 6))
                .flatMap(value -> decode(value.substring(6).trim()))
                .orElse(new byte[0]);
        byte[] wanted = (expected.username() + ":" + expected.password()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(sha256(presented), sha256(wanted))) {
            throw new ClientErrorException(new ClientError.Unauthorized("webhook credentials are missing or wrong", CHALLENGE));
        }
    }

    private static Optional<byte[]> decode(String token) {
        try {
            return Optional.of(Base64.getDecoder().decode(token));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
