package com.supportress.backup;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

/**
 * Lambda entry point of the finisher schedule (every few minutes): takes every open backup run further
 * and publishes each table's backup age. A table's failure is part of the report and its age metric;
 * the invocation fails only when a run could not be finished for another reason (state, manifests,
 * retention), so that the errors alarm fires.
 */
public class BackupFinisherHandler extends FunctionHandler<ScheduleEvent, BackupFinisher.Report> {

    public BackupFinisherHandler() {
    }

    public BackupFinisherHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public BackupFinisher.Report execute(ScheduleEvent event) {
        try (LogContext ignored = LogContext.forRequest(event == null ? "manual" : event.correlationId())) {
            BackupConfig config = getApplicationContext().getBean(BackupConfig.class);
            BackupFinisher.Report report = getApplicationContext().getBean(BackupFinisher.class)
                    .finish(Deadline.of(invocationContext(), config.invocationBudget()));
            if (!report.errors().isEmpty()) {
                throw new IllegalStateException("finishing backups failed: " + report.errors());
            }
            return report;
        }
    }

    /** The finisher and its S3 client through a read of a run that never exists; nothing is listed, copied or written. */
    @Override
    protected void prime(ApplicationContext context) {
        context.getBean(BackupFinisher.class);
        context.getBean(BackupStores.class).primary().manifest("snapstart-priming");
    }
}
