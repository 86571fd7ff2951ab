package com.supportress.backup;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;

import java.util.List;

/**
 * Lambda entry point of the weekly proof: {@code start} begins one (region by the week, or as given),
 * {@code continue} takes open ones further. A proof that finishes failed fails the invocation, so the
 * verify alarm fires; so does a start with no complete backup to prove.
 */
public class BackupVerifyHandler extends FunctionHandler<VerifyInvocation, List<BackupProof.Report>> {

    public BackupVerifyHandler() {
    }

    public BackupVerifyHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public List<BackupProof.Report> execute(VerifyInvocation invocation) {
        VerifyInvocation request = invocation == null ? new VerifyInvocation(null, null, null) : invocation;
        request.check();
        try (LogContext ignored = LogContext.forRequest("verify-" + (request.continues() ? "continue" : "start"))) {
            BackupProof proofs = getApplicationContext().getBean(BackupProof.class);
            Deadline deadline = Deadline.of(invocationContext(), getApplicationContext().getBean(BackupConfig.class).invocationBudget());
            List<BackupProof.Report> reports = request.continues()
                    ? proofs.advanceOpen(deadline)
                    : List.of(proofs.start(request.regionOption(), request.backupOption(), deadline));
            List<BackupProof.Report> failed = reports.stream().filter(r -> r.finished() && !r.passed()).toList();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("restore proof failed: " + failed);
            }
            return reports;
        }
    }

    /** The service and its S3 client through a read of a run that never exists; nothing is listed, written or restored. */
    @Override
    protected void prime(ApplicationContext context) {
        context.getBean(RestoreService.class);
        context.getBean(BackupStores.class).primary().manifest("snapstart-priming");
    }
}
