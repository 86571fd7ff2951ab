package com.supportress.upload.ingest;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

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
}
