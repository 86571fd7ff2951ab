package com.supportress.backup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** What S3 reports for an object written in parts of one size: the SHA-256 of the parts' SHA-256s, base64. */
final class ObjectDigests {

    private ObjectDigests() {
    }

    static String composite(byte[] bytes, long partSize) {
        try {
            MessageDigest parts = MessageDigest.getInstance("SHA-256");
            for (int start = 0; start < bytes.length; start += (int) partSize) {
                parts.update(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, start, (int) Math.min(bytes.length, start + partSize))));
            }
            return Base64.getEncoder().encodeToString(parts.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
