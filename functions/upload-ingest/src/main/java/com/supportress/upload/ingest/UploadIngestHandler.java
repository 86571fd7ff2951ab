package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Lambda entry point for UploadEventsQueue. Each message succeeds or fails on its own: a failed one is
 * reported in the partial batch response and redelivered (to the dead-letter queue after five receives),
 * the others are not retried.
 */
public class UploadIngestHandler extends FunctionHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(UploadIngestHandler.class);

    public UploadIngestHandler() {
    }

    public UploadIngestHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        IngestService ingest = getApplicationContext().getBean(IngestService.class);
        JsonCodec json = getApplicationContext().getBean(JsonCodec.class);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        // SQS never sends an event without records, nor a null record; whatever arrives must not fail the whole batch.
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of()
                : event.getRecords().stream().filter(Objects::nonNull).toList();
        for (SQSEvent.SQSMessage message : messages) {
            try (LogContext ignored = LogContext.forRequest(message.getMessageId())) {
                try {
                    for (ObjectCreatedEvents.ObjectCreated object : ObjectCreatedEvents.parse(message.getBody(), json)) {
                        IngestService.Outcome outcome = ingest.ingest(object.bucket(), object.key());
                        LOG.info("object ingested outcome={}", outcome);
                    }
                } catch (RuntimeException e) {
                    LOG.error("message failed, will be retried", e);
                    failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                }
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
