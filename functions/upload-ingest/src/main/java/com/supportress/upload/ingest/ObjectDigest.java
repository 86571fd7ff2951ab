package com.supportress.upload.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256 of a whole object, read as a stream in fixed buffers (never the object in memory), and the
 * SHA-256 of each copy part, from which S3's composite checksum of a multipart copy can be predicted.
 */
public record ObjectDigest(String sha256, String composite) {

    private static final int BUFFER = 1024 * 1024;

    /** The digest of the stream; {@code composite} is set when partSize is positive and below the length. */
    public static ObjectDigest of(InputStream in, long partSize) {
        MessageDigest whole = sha256Digest();
        MessageDigest part = sha256Digest();
        MessageDigest partDigests = sha256Digest();
        byte[] buffer = new byte[BUFFER];
        long inPart = 0;
        int parts = 0;
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                whole.update(buffer, 0, read);
                int offset = 0;
                while (partSize > 0 && offset < read) {
                    int take = (int) Math.min(read - offset, partSize - inPart);
                    part.update(buffer, offset, take);
                    offset += take;
                    inPart += take;
                    if (inPart == partSize) {
                        partDigests.update(part.digest());
                        parts++;
                        inPart = 0;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the object failed", e);
        }
        if (partSize > 0 && inPart > 0) {
            partDigests.update(part.digest());
            parts++;
        }
        String composite = partSize > 0 && parts > 0 ? base64(partDigests.digest()) + "-" + parts : null;
        return new ObjectDigest(base64(whole.digest()), composite);
    }

    private static String base64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
