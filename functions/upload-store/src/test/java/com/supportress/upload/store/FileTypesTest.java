package com.supportress.upload.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: magic-number checks and object keys, no emulator. */
class FileTypesTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    private static final byte[] PDF = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZIP = {'P', 'K', 3, 4, 20, 0};

    @Test
    void acceptsContentWhoseMagicNumberMatchesTheDeclaredType() {
        assertTrue(FileTypes.mismatch("image/png", PNG).isEmpty());
        assertTrue(FileTypes.mismatch("application/pdf", PDF).isEmpty());
        assertTrue(FileTypes.mismatch("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP).isEmpty());
        assertTrue(FileTypes.mismatch("text/csv", "a,b\r\n1,2\n".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(FileTypes.mismatch("text/plain", "grüße\tok".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    void rejectsContentOfAnotherTypeThanDeclared() {
        assertEquals("content is not image/png", FileTypes.mismatch("image/png", PDF).orElseThrow());
        assertTrue(FileTypes.mismatch("application/pdf", ZIP).isPresent());
        assertTrue(FileTypes.mismatch("image/jpeg", PNG).isPresent());
    }

    @Test
    void binaryContentDeclaredAsTextIsRejected() {
        assertTrue(FileTypes.mismatch("text/plain", PNG).isPresent());
        assertTrue(FileTypes.mismatch("text/csv", new byte[]{'M', 'Z', 0, 0}).isPresent(), "an executable header has NUL bytes");
    }

    @Test
    void unknownDeclaredTypeIsNeverAccepted() {
        assertTrue(FileTypes.mismatch("application/x-msdownload", new byte[]{'M', 'Z'}).isPresent());
    }

    @Test
    void onlyKeysThisSystemMadeYieldAnUploadId() {
        String id = "upl_" + "ab".repeat(20);
        assertEquals(id, UploadKeys.uploadIdOf("tenants/acme/" + id).orElseThrow());
        assertTrue(UploadKeys.uploadIdOf("tenants/acme/../" + id).isEmpty());
        assertTrue(UploadKeys.uploadIdOf("quarantine/acme/" + id).isEmpty());
        assertTrue(UploadKeys.uploadIdOf("tenants/ACME/" + id).isEmpty());
    }
}
