package com.supportress.billing;

import com.supportress.shared.http.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Says, once per refused delivery or skipped run, that a credential billing needs is missing or a placeholder. The
 * log line carries {@value #LOG_FIELD}={@value #LOG_VALUE} (under {@code mdc} in the JSON line), which the
 * template's metric filters count and {@code BillingCredentialsMissingAlarm} mails to operations; the line names the
 * credential and the problem, never a value.
 */
final class MissingCredentials {

    static final String LOG_FIELD = "credentials";
    static final String LOG_VALUE = "missing";

    private static final Logger LOG = LoggerFactory.getLogger(MissingCredentials.class);

    private MissingCredentials() {
    }

    /** The usable value, or the 503 a webhook answers while it has none (the provider retries, nothing is recorded). */
    static <T> T require(Credential<T> credential, String webhook) {
        return credential.value().orElseThrow(() -> {
            report(credential, webhook + " webhook refused");
            return new ServiceUnavailableException(webhook + " webhooks are not configured on this endpoint yet",
                    WebhookSecretsSource.RECHECK_UNCONFIGURED_AFTER);
        });
    }

    static void report(Credential<?> credential, String consequence) {
        MDC.put(LOG_FIELD, LOG_VALUE);
        MDC.put("credential", credential.name());
        try {
            LOG.warn("{}: {}", consequence, credential.problem());
        } finally {
            MDC.remove(LOG_FIELD);
            MDC.remove("credential");
        }
    }
}
