package com.supportress.incident;

import com.supportress.shared.ids.UnguessableIds;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reporter's follow-up receipt: {@code fut_} and 160 random bits, handed out once in the 201. Only its SHA-256
 * is stored. A plain hash is enough because the token is random, not chosen: a slow password hash (bcrypt, Argon2)
 * exists to make guessing low-entropy passwords expensive, and guessing 160 random bits is out of reach at any
 * speed, also from a leaked table or backup. Presented tokens are compared by hash in constant time.
 *
 * <p>An Idempotency-Key replay must answer with the first response, token included. So the idempotency record keeps
 * the token sealed (AES-GCM) under a key derived from the Idempotency-Key, which only the client holds (the table
 * keeps only the key's SHA-256); the record expires with the idempotency window (24 hours).
 */
public final class FollowUpTokens {

    static final String PREFIX = "fut_";
    private static final Pattern TOKEN = Pattern.compile("fut_[a-z2-7]{32}");
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FollowUpTokens() {
    }

    public static String newToken() {
        return UnguessableIds.base32(PREFIX);
    }

    /** The stored form: SHA-256 in hex. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether a presented token is the one whose hash is stored, in time independent of where they differ. */
    public static boolean matches(Optional<String> presented, Optional<String> storedHash) {
        if (presented.isEmpty() || storedHash.isEmpty() || !TOKEN.matcher(presented.get()).matches()) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(storedHash.get());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented.get().getBytes(StandardCharsets.UTF_8)), expected);
    }

    /** The token sealed for an idempotency record: nonce and AES-GCM ciphertext, base64. */
    static String seal(String token, String idempotencyKey, String reportId) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, idempotencyKey, reportId, nonce);
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }

    /** The token back from a record, with the Idempotency-Key the replay presented; empty if it does not open. */
    static Optional<String> unseal(String sealed, String idempotencyKey, String reportId) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            byte[] nonce = java.util.Arrays.copyOfRange(in, 0, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, idempotencyKey, reportId, nonce);
            return Optional.of(new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** AES-256-GCM keyed by HMAC-SHA256(Idempotency-Key, report id): one key per key and report, nothing stored. */
    private static Cipher cipher(int mode, String idempotencyKey, String reportId, byte[] nonce) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(idempotencyKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] key = mac.doFinal(("follow-up-token|" + reportId).getBytes(StandardCharsets.UTF_8));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(reportId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
