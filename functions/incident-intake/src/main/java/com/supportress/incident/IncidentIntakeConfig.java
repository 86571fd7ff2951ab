package com.supportress.incident;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * Everything incident intake reads from its environment, in one place. The variable names are the
 * ones template.yaml sets on IncidentIntakeFunction and IncidentNotificationRetryFunction.
 */
public record IncidentIntakeConfig(
        String reportsTable,
        String controlTable,
        String activityTable,
        String securityTeamEmail,
        String senderEmail,
        int reportsPerSourcePerHour,
        Duration idempotencyWindow,
        int maxBodyBytes,
        String securityPolicyUrl,
        List<String> preferredLanguages,
        int securityTxtValidDays,
        int notificationMaxAttempts,
        Duration notificationMaxAge) {

    /** security.txt's Expires must be less than a year ahead (RFC 9116, section 2.5.5). */
    static final int MAX_SECURITY_TXT_VALID_DAYS = 365;

    public IncidentIntakeConfig {
        if (securityTxtValidDays < 1 || securityTxtValidDays > MAX_SECURITY_TXT_VALID_DAYS) {
            throw new IllegalStateException("SECURITY_TXT_VALID_DAYS must be 1 to " + MAX_SECURITY_TXT_VALID_DAYS);
        }
        if (notificationMaxAttempts < 1 || notificationMaxAge.isNegative() || notificationMaxAge.isZero()) {
            throw new IllegalStateException("NOTIFICATION_MAX_ATTEMPTS and NOTIFICATION_MAX_AGE_HOURS must be at least 1");
        }
    }

    public static IncidentIntakeConfig from(FunctionEnvironment env) {
        return new IncidentIntakeConfig(
                env.require("INCIDENT_REPORTS_TABLE"),
                env.require("INTAKE_CONTROL_TABLE"),
                env.require("INCIDENT_ACTIVITY_TABLE"),
                env.require("SECURITY_TEAM_EMAIL"),
                env.require("SENDER_EMAIL"),
                env.getInt("REPORTS_PER_SOURCE_PER_HOUR", 10),
                Duration.ofHours(24),
                64 * 1024,
                env.require("SECURITY_POLICY_URL"),
                List.of(env.get("PREFERRED_LANGUAGES", "en").split("\\s*,\\s*")),
                env.getInt("SECURITY_TXT_VALID_DAYS", 180),
                env.getInt("NOTIFICATION_MAX_ATTEMPTS", 12),
                Duration.ofHours(env.getInt("NOTIFICATION_MAX_AGE_HOURS", 24)));
    }

    @Factory
    static class Beans {
        @Singleton
        IncidentIntakeConfig incidentIntakeConfig(FunctionEnvironment environment) {
            return IncidentIntakeConfig.from(environment);
        }
    }
}
