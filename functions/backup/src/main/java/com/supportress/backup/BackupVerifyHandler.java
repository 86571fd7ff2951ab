package com.supportress.backup;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Lambda entry point for the weekly restore test of the newest backup; a mismatch fails the invocation and raises the alarm. */
public class BackupVerifyHandler extends FunctionHandler<ScheduleEvent, RestoreService.VerifyReport> {

    private static final Logger LOG = LoggerFactory.getLogger(BackupVerifyHandler.class);

    public BackupVerifyHandler() {
    }

    public BackupVerifyHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public RestoreService.VerifyReport execute(ScheduleEvent event) {
        try (LogContext ignored = LogContext.forRequest(event == null ? "manual" : event.correlationId())) {
            RestoreService.VerifyReport report = getApplicationContext().getBean(RestoreService.class).verify(Optional.empty(), LOG::info);
            if (!report.matches()) {
                throw new IllegalStateException("restore test of backup " + report.backupId() + " failed: " + report.tables());
            }
            LOG.info("restore test of backup {} passed for {} tables", report.backupId(), report.tables().size());
            return report;
        }
    }
}
