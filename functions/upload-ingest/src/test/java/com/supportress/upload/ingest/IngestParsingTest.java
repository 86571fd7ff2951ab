package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.emulator.SampleEvents;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.http.JsonCodec;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: S3 notifications as SQS delivers them, streamed digests and checksum comparison; no emulator. */
class IngestParsingTest {

    private static ApplicationContext context;
    private static JsonCodec json;

    @BeforeAll
    static void startContext() {
        context = FunctionApplication.start(FunctionEnvironment.of(Map.of()));
        json = context.getBean(JsonCodec.class);
    }

    @AfterAll
    static void stopContext() {
        context.close();
    }

    @Test
    void objectKeysArriveUrlEncodedAndAreDecoded() {
        SQSEvent event = SampleEvents.load("upload-ingest/object-created.json", SQSEvent.class);
        var objects = ObjectCreatedEvents.parse(event.getRecords().get(0).getBody(), json);
        assertEquals(List.of(new ObjectCreatedEvents.ObjectCreated("supportress-local-uploads-123456789012",
                "tenants/acme/upl_0123456789abcdef0123456789abcdef01234567")), objects);
    }

    @Test
    void theS3TestEventAnnouncesNoObject() {
        SQSEvent event = SampleEvents.load("upload-ingest/s3-test-event.json", SQSEvent.class);
        assertTrue(ObjectCreatedEvents.parse(event.getRecords().get(0).getBody(), json).isEmpty());
    }

    @Test
    void messagesThatAreNoS3NotificationFailWithoutAnythingWorseThanIllegalArgument() {
        for (String body : new String[] {null, "", "[]", "{}", "{\"Records\":{}}", "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}",
                "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":1},\"object\":{\"key\":\"k\"}}}]}",
                "{\"Records\":[]}{}", "{\"Records\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"}) {
            assertThrows(IllegalArgumentException.class, () -> ObjectCreatedEvents.parse(body, json));
        }
    }

    @Test
    void streamedDigestEqualsTheWholeDigestAndPredictsTheCompositeOfParts() throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        int partSize = 1024 * 1024 + 3; // not aligned with the read buffer, so parts span reads
        ObjectDigest digest = ObjectDigest.of(new ByteArrayInputStream(bytes), partSize);

        assertEquals(sha256(bytes), digest.sha256());
        MessageDigest parts = MessageDigest.getInstance("SHA-256");
        int count = 0;
        for (int start = 0; start < bytes.length; start += partSize, count++) {
            parts.update(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, start, Math.min(bytes.length, start + partSize))));
        }
        assertEquals(Base64.getEncoder().encodeToString(parts.digest()) + "-" + count, digest.composite());
        assertNull(ObjectDigest.of(new ByteArrayInputStream(bytes), 0).composite());
    }

    @Test
    void compositeChecksumsMatchWithOrWithoutThePartCountSuffix() {
        assertTrue(Replicator.sameChecksum("abc=-3", "abc=-3"));
        assertTrue(Replicator.sameChecksum("abc=-3", "abc="));
        assertFalse(Replicator.sameChecksum("abc=-3", "abc=-4"));
        assertFalse(Replicator.sameChecksum("abc=-3", "abd=-3"));
        assertFalse(Replicator.sameChecksum("abc=", null));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
