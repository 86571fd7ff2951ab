package com.supportress.upload.api;

import com.supportress.shared.config.FunctionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Unit tier: configuration limits and part sizing, no emulator. */
class UploadApiConfigTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void urlExpiryOverFiveMinutesIsRefusedAtStart() {
        var env = FunctionEnvironment.of(Map.of("UPLOAD_BUCKET", "b", "UPLOAD_URL_EXPIRY_SECONDS", "301"));
        assertThrows(IllegalStateException.class, () -> UploadApiConfig.from(env));
    }

    @Test
    void allowlistWithATypeIngestCannotCheckIsRefusedAtStart() {
        var env = FunctionEnvironment.of(Map.of("UPLOAD_BUCKET", "b", "ALLOWED_CONTENT_TYPES", "image/png,application/x-sh"));
        assertThrows(IllegalStateException.class, () -> UploadApiConfig.from(env));
    }

    @Test
    void partSizeGrowsSoNoFileNeedsMoreThanTenThousandParts() {
        UploadApiConfig config = UploadApiConfig.from(FunctionEnvironment.of(Map.of("UPLOAD_BUCKET", "b", "PART_SIZE_BYTES", Long.toString(5 * MIB))));
        UploadService service = new UploadService(null, null, config, null, null);
        assertEquals(5 * MIB, service.partSize(100 * MIB));
        long fiftyGib = 50L * 1024 * MIB;
        long partSize = service.partSize(fiftyGib);
        assertEquals(6 * MIB, partSize);
        assertEquals(true, (fiftyGib + partSize - 1) / partSize <= 10_000);
    }
}
