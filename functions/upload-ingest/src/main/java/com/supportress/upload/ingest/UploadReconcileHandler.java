package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionHandler;
import io.micronaut.context.ApplicationContext;

/** Lambda entry point for the schedule that re-drives uploads not replicated within 15 minutes. */
public class UploadReconcileHandler extends FunctionHandler<ScheduledEvent, ReconcileService.Result> {

    public UploadReconcileHandler() {
    }

    public UploadReconcileHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public ReconcileService.Result execute(ScheduledEvent event) {
        return getApplicationContext().getBean(ReconcileService.class).reconcile();
    }
}
