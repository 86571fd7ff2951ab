package com.supportress.shared.ids;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids nobody can guess or enumerate: 160 random bits behind a type prefix. The generator reads the kernel's
 * entropy on every call (NativePRNGNonBlocking), so instances restored from one SnapStart snapshot never
 * produce the same ids.
 */
public final class UnguessableIds {

    private static final int BYTES = 20;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = restoreSafeRandom();

    private UnguessableIds() {
    }

    /** The prefix and 32 lower-case base32 characters. */
    public static String base32(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        int buffer = 0;
        int bits = 0;
        for (byte b : randomBytes()) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                id.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return id.toString();
    }

    /** The prefix and 40 lower-case hex digits. */
    public static String hex(String prefix) {
        return prefix + HexFormat.of().formatHex(randomBytes());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static SecureRandom restoreSafeRandom() {
        try {
            return SecureRandom.getInstance("NativePRNGNonBlocking");
        } catch (NoSuchAlgorithmException e) {
            // Not on Linux (a developer's machine): the default is fine where nothing is restored from a snapshot.
            return new SecureRandom();
        }
    }
}
