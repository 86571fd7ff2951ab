package com.supportress.shared.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: reading configuration from environment variables. */
class FunctionEnvironmentTest {

    private final FunctionEnvironment environment = FunctionEnvironment.of(Map.of("TABLE", "reports", "LIMIT", "12", "BLANK", " ", "BAD", "ten"));

    @Test
    void missingRequiredVariableNamesIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> environment.require("QUEUE_URL"));
        assertTrue(e.getMessage().contains("QUEUE_URL"));
    }

    @Test
    void blankCountsAsUnsetAndFallsBack() {
        assertEquals("fallback", environment.get("BLANK", "fallback"));
        assertEquals(7, environment.getInt("BLANK", 7));
    }

    @Test
    void numbersAreParsedAndNonNumbersRejectedByName() {
        assertEquals(12, environment.getInt("LIMIT", 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> environment.getInt("BAD", 1));
        assertTrue(e.getMessage().contains("BAD"));
    }
}
