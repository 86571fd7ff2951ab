package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lambda entry point for UploadEventsQueue. Each message succeeds or fails on its own: a failed one is
 * reported in the partial batch response and redelivered after the queue's visibility timeout (to the
 * dead-letter queue after five receives), the others are not retried. A message whose object another worker
 * holds the lease on is reported the same way: it returns later, when that worker has finished or died.
 */
public class UploadIngestHandler extends FunctionHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(UploadIngestHandler.class);
    // A well-formed id the API never hands out (ids are 160 random bits), so priming finds neither record nor object.
    static final String PRIMING_UPLOAD_ID = "upl_" + "0".repeat(40);

    public UploadIngestHandler() {
    }

    public UploadIngestHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        IngestService ingest = getApplicationContext().getBean(IngestService.class);
        JsonCodec json = getApplicationContext().getBean(JsonCodec.class);
        InvocationBudget budget = InvocationBudget.of(invocationContext(), getApplicationContext().getBean(Clock.class),
                getApplicationContext().getBean(IngestConfig.class).copySafetyMargin());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        // SQS never sends an event without records, nor a null record; whatever arrives must not fail the whole batch.
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of()
                : event.getRecords().stream().filter(Objects::nonNull).toList();
        for (SQSEvent.SQSMessage message : messages) {
            try (LogContext ignored = LogContext.forRequest(message.getMessageId())) {
                try {
                    boolean returnsLater = false;
                    for (ObjectCreatedEvents.ObjectCreated object : ObjectCreatedEvents.parse(message.getBody(), json)) {
                        IngestService.Outcome outcome = ingest.ingest(object.bucket(), object.key(), budget);
                        LOG.info("object ingested outcome={}", outcome);
                        returnsLater |= outcome == IngestService.Outcome.LEASED_ELSEWHERE;
                    }
                    if (returnsLater) {
                        failures.add(failure(message));
                    }
                } catch (RuntimeException e) {
                    LOG.error("message failed, will be retried", e);
                    failures.add(failure(message));
                }
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Parsing an S3 notification and ingest's first reads, for an upload that never exists: its record (none) and its
     * object (a HEAD answered 404), so ingest stops before any write.
     */
    @Override
    protected void prime(ApplicationContext context) {
        IngestConfig config = context.getBean(IngestConfig.class);
        String body = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + config.uploadBucket()
                + "\"},\"object\":{\"key\":\"tenants%2Fsnapstart-priming%2F" + PRIMING_UPLOAD_ID + "\",\"size\":1}}}]}";
        IngestService ingest = context.getBean(IngestService.class);
        InvocationBudget budget = InvocationBudget.of(Optional.empty(), context.getBean(Clock.class), config.copySafetyMargin());
        for (ObjectCreatedEvents.ObjectCreated object : ObjectCreatedEvents.parse(body, context.getBean(JsonCodec.class))) {
            ingest.ingest(object.bucket(), object.key(), budget);
        }
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage message) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build();
    }
}
