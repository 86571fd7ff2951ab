package com.supportress.upload.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * SHA-256 checksums in S3's notation: base64 of the digest for a whole object, and for a multipart object the
 * composite S3 reports, base64 of the SHA-256 over the concatenated part digests followed by "-" and the part
 * count. The composite follows from the part checksums alone, so nobody has to read the object to predict it.
 */
public final class S3Checksums {

    private S3Checksums() {
    }

    /** The composite checksum S3 computes for a multipart object made of parts with these SHA-256s, in order. */
    public static String composite(List<String> partSha256s) {
        MessageDigest digests = sha256();
        partSha256s.forEach(part -> digests.update(Base64.getDecoder().decode(part)));
        return Base64.getEncoder().encodeToString(digests.digest()) + "-" + partSha256s.size();
    }

    /** A base64 SHA-256: 44 characters decoding to 32 bytes. */
    public static boolean isSha256(String value) {
        try {
            return value != null && value.length() == 44 && Base64.getDecoder().decode(value).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether S3's reported checksum is the expected one. S3 reports a composite with its "-N" suffix; an
     * emulator may drop the suffix, so the digest must match and N must match when shown.
     */
    public static boolean same(String expected, String reported) {
        if (expected == null || reported == null) {
            return false;
        }
        String[] wanted = expected.split("-", 2);
        String[] found = reported.split("-", 2);
        return wanted[0].equals(found[0]) && (found.length == 1 || wanted.length == 2 && wanted[1].equals(found[1]));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
