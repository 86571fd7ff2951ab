package com.supportress.upload.ingest;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import com.supportress.upload.store.UploadStore;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

import java.time.Instant;

/** Lambda entry point for the schedule that re-drives uploads not replicated within 15 minutes. */
public class UploadReconcileHandler extends FunctionHandler<ScheduleEvent, ReconcileService.Result> {

    public UploadReconcileHandler() {
    }

    public UploadReconcileHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public ReconcileService.Result execute(ScheduleEvent event) {
        return getApplicationContext().getBean(ReconcileService.class).reconcile();
    }

    /** The round's reads, finding nothing: lagging uploads before the epoch, an upload and an object that never exist. */
    @Override
    protected void prime(ApplicationContext context) {
        UploadStore store = context.getBean(UploadStore.class);
        store.awaitingReplicationCreatedBefore(Instant.EPOCH);
        store.find(UploadIngestHandler.PRIMING_UPLOAD_ID);
        S3Objects.head(context.getBean(S3Client.class), HeadObjectRequest.builder()
                .bucket(context.getBean(ReconcileConfig.class).uploadBucket())
                .key("tenants/snapstart-priming/" + UploadIngestHandler.PRIMING_UPLOAD_ID).build());
        context.getBean(ReconcileService.class);
    }
}
