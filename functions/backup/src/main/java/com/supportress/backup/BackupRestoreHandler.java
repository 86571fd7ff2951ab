package com.supportress.backup;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point for operators: invoke with a {@link RestoreInvocation} as JSON, e.g.
 * {@code {"table": "...", "backupId": "...", "targetTable": "...", "force": false}}. Refusals come back
 * as the invocation's error message, naming the problem. An import that outlasts the invocation keeps
 * running in DynamoDB: the answer then says IN_PROGRESS and gives the import's ARN.
 */
public class BackupRestoreHandler extends FunctionHandler<RestoreInvocation, RestoreService.RestoreReport> {

    private static final Logger LOG = LoggerFactory.getLogger(BackupRestoreHandler.class);

    public BackupRestoreHandler() {
    }

    public BackupRestoreHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public RestoreService.RestoreReport execute(RestoreInvocation invocation) {
        if (invocation == null) {
            throw new RestoreRefusedException("the request must name the table to restore: {\"table\": \"...\"}");
        }
        RestoreService.RestoreRequest request = invocation.toRequest();
        try (LogContext ignored = LogContext.forRequest("restore-" + request.table())) {
            BackupConfig config = getApplicationContext().getBean(BackupConfig.class);
            return getApplicationContext().getBean(RestoreService.class).restore(request,
                    Deadline.of(invocationContext(), config.invocationBudget()), LOG::info);
        }
    }

    /** The service and its S3 client through a read of a run that never exists; nothing is listed, written or restored. */
    @Override
    protected void prime(ApplicationContext context) {
        context.getBean(RestoreService.class);
        context.getBean(BackupStores.class).primary().manifest("snapstart-priming");
    }
}
