package com.supportress.backup;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

/** Lambda entry point for the daily backup schedule. A failed run throws, so the invocation fails and the alarm fires. */
public class BackupHandler extends FunctionHandler<ScheduleEvent, BackupReport> {

    public BackupHandler() {
    }

    public BackupHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public BackupReport execute(ScheduleEvent event) {
        try (LogContext ignored = LogContext.forRequest(event == null ? "manual" : event.correlationId())) {
            return getApplicationContext().getBean(BackupService.class).run();
        }
    }
}
