package com.supportress.incident;

import com.supportress.shared.config.FunctionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: incident intake's configuration, no emulator. */
class IncidentIntakeConfigTest {

    @Test
    void securityTxtExpiresAtMostAYearAhead() {
        assertEquals(365, IncidentIntakeConfig.from(environment("365")).securityTxtValidDays());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IncidentIntakeConfig.from(environment("366")));
        assertTrue(e.getMessage().contains("SECURITY_TXT_VALID_DAYS"));
    }

    private static FunctionEnvironment environment(String validDays) {
        Map<String, String> variables = new HashMap<>(Map.of(
                "INCIDENT_REPORTS_TABLE", "reports", "INTAKE_CONTROL_TABLE", "control", "INCIDENT_ACTIVITY_TABLE", "activity",
                "SECURITY_TEAM_EMAIL", "security@example.org", "SENDER_EMAIL", "no-reply@example.org",
                "SECURITY_POLICY_URL", "https://example.org/security"));
        variables.put("SECURITY_TXT_VALID_DAYS", validDays);
        return FunctionEnvironment.of(variables);
    }
}
