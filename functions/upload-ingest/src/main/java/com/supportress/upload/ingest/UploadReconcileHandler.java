package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;

/** Lambda entry point for the schedule that re-drives uploads not replicated within 15 minutes. */
public class UploadReconcileHandler extends MicronautRequestHandler<ScheduledEvent, ReconcileService.Result> {

    public UploadReconcileHandler() {
        super(FunctionApplication.builder(FunctionEnvironment.system()));
    }

    public UploadReconcileHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public ReconcileService.Result execute(ScheduledEvent event) {
        return getApplicationContext().getBean(ReconcileService.class).reconcile();
    }
}
