package com.supportress.upload.ingest;

import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Puts an object back on the ingest queue in the shape S3 itself uses (an ObjectCreated record, key URL-encoded),
 * so the ingest function has one input format. The reconciler re-drives what lags; the ingest function hands a
 * copy it could not finish in one invocation to the next (its checkpoint is on the upload record).
 */
@Singleton
public class UploadEventsQueue {

    /** Why an object is queued again; the event name tells the logs apart from S3's own events. */
    public enum Reason {
        REDRIVE("supportress:reconcile", "ObjectCreated:Redrive"),
        CONTINUE("supportress:ingest", "ObjectCreated:Continue");

        private final String source;
        private final String eventName;

        Reason(String source, String eventName) {
            this.source = source;
            this.eventName = eventName;
        }
    }

    private final SqsClient sqs;

    public UploadEventsQueue(SqsClient sqs) {
        this.sqs = sqs;
    }

    public void send(String queueUrl, String bucket, String key, Reason reason) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body(bucket, key, reason)));
    }

    static String body(String bucket, String key, Reason reason) {
        String encodedKey = URLEncoder.encode(key, StandardCharsets.UTF_8);
        return "{\"Records\":[{\"eventSource\":\"" + reason.source + "\",\"eventName\":\"" + reason.eventName + "\","
                + "\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + encodedKey + "\"}}}]}";
    }
}
