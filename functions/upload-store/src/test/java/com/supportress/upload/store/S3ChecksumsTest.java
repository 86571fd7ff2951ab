package com.supportress.upload.store;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: S3's SHA-256 notation, whole and composite; no emulator. */
class S3ChecksumsTest {

    @Test
    void theCompositeIsTheSha256OfThePartDigestsWithThePartCount() throws Exception {
        byte[] first = "first part".getBytes();
        byte[] second = "second".getBytes();
        MessageDigest digests = MessageDigest.getInstance("SHA-256");
        digests.update(MessageDigest.getInstance("SHA-256").digest(first));
        digests.update(MessageDigest.getInstance("SHA-256").digest(second));
        String expected = Base64.getEncoder().encodeToString(digests.digest()) + "-2";

        assertEquals(expected, S3Checksums.composite(List.of(sha256(first), sha256(second))));
    }

    @Test
    void reportedChecksumsMatchWithOrWithoutThePartCountSuffixButNeverAcrossKinds() {
        assertTrue(S3Checksums.same("abc=-3", "abc=-3"));
        assertTrue(S3Checksums.same("abc=-3", "abc="), "an emulator may drop the suffix");
        assertFalse(S3Checksums.same("abc=-3", "abc=-4"));
        assertFalse(S3Checksums.same("abc=-3", "abd=-3"));
        assertFalse(S3Checksums.same("abc=", "abc=-1"), "a whole-object SHA-256 is never a composite");
        assertFalse(S3Checksums.same("abc=", null));
    }

    @Test
    void onlyA44CharacterBase64Of32BytesIsASha256() throws Exception {
        assertTrue(S3Checksums.isSha256(sha256(new byte[]{1})));
        assertFalse(S3Checksums.isSha256("not-a-sha256"));
        assertFalse(S3Checksums.isSha256(Base64.getEncoder().encodeToString(new byte[31]) + "AAAA"));
        assertFalse(S3Checksums.isSha256(null));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
