package com.supportress.backup;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

/**
 * Lambda entry point for the daily backup schedule: starts every table's native backup and export and
 * returns in seconds. A table that fails is recorded in the run and shows in its backup-age metric; the
 * invocation itself fails only when no run could be recorded at all.
 */
public class BackupHandler extends FunctionHandler<ScheduleEvent, StartReport> {

    public BackupHandler() {
    }

    public BackupHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public StartReport execute(ScheduleEvent event) {
        try (LogContext ignored = LogContext.forRequest(event == null ? "manual" : event.correlationId())) {
            return getApplicationContext().getBean(BackupStarter.class).start();
        }
    }

    /** The service and its S3 client through a read of a run that never exists; nothing is listed, written or restored. */
    @Override
    protected void prime(ApplicationContext context) {
        context.getBean(BackupStarter.class);
        context.getBean(BackupStores.class).primary().manifest("snapstart-priming");
    }
}
