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

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: S3 notifications as SQS delivers them, and the messages the functions queue themselves; no emulator. */
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
    void aMessageTheFunctionQueuesItselfReadsBackAsTheObjectItNames() {
        String key = "tenants/acme/upl_0123456789abcdef0123456789abcdef01234567";
        for (UploadEventsQueue.Reason reason : UploadEventsQueue.Reason.values()) {
            assertEquals(List.of(new ObjectCreatedEvents.ObjectCreated("uploads-bucket", key)),
                    ObjectCreatedEvents.parse(UploadEventsQueue.body("uploads-bucket", key, reason), json));
        }
    }

}
