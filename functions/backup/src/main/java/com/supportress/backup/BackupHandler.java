package com.supportress.backup;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;

/** Lambda entry point for the daily backup schedule. A failed run throws, so the invocation fails and the alarm fires. */
public class BackupHandler extends MicronautRequestHandler<ScheduledEvent, BackupReport> {

    public BackupHandler() {
        super(FunctionApplication.builder(FunctionEnvironment.system()));
    }

    public BackupHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public BackupReport execute(ScheduledEvent event) {
        try (LogContext ignored = LogContext.forRequest(event == null ? "manual" : String.valueOf(event.getId()))) {
            return getApplicationContext().getBean(BackupService.class).run();
        }
    }
}
