package com.supportress.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.EmulatedSecrets;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.SamTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: what the local suite hands to SAM CLI and takes from the Stripe CLI, against the emulator. */
@Tag("emulator")
class SamLocalSupportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmulatedStack stack;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        stack = EmulatedStack.create(Map.of());
    }

    @Test
    void envVarsFileGivesEveryFunctionItsDeclaredVariablesAndTheEmulatorThroughJavaToolOptions() throws Exception {
        JsonNode file = JSON.readTree(SamLocalEnvVars.write(stack, work.resolve(".aws-sam/local-env-vars.json")).toFile());
        String endpoint = "-Daws.endpointUrl=http://host.docker.internal:" + stack.endpoint().getPort();
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            JsonNode variables = file.path(function.logicalId());
            Map<String, Object> declared = SamTemplate.mapAt(SamTemplate.mapAt(
                    stack.template().functionProperties(function.logicalId()), "Environment"), "Variables");
            for (String name : declared.keySet()) {
                assertTrue(variables.has(name), function.logicalId() + " lacks " + name);
            }
            assertEquals(declared.get("JAVA_TOOL_OPTIONS") + " " + endpoint, variables.path("JAVA_TOOL_OPTIONS").asText());
        }
        assertEquals(stack.physicalName("IncidentReportsTable"), file.path("IncidentIntakeFunction").path("INCIDENT_REPORTS_TABLE").asText());
    }

    @Test
    void stripeListenSecretsReplaceTheSigningSecretsAndKeepTheRest() throws Exception {
        String secretId = stack.physicalName("BillingSecrets");
        String chargebeePassword = secret(secretId).path("chargebeePassword").asText();

        LocalSuite.useStripeSigningSecrets(stack, "whsec_fromStripeListen, whsec_previous");

        JsonNode value = secret(secretId);
        List<String> signing = new ArrayList<>();
        value.path("stripeSigningSecrets").forEach(secret -> signing.add(secret.asText()));
        assertEquals(List.of("whsec_fromStripeListen", "whsec_previous"), signing);
        assertEquals(chargebeePassword, value.path("chargebeePassword").asText());
    }

    private static JsonNode secret(String secretId) throws Exception {
        return JSON.readTree(EmulatedSecrets.client(stack).getSecretValue(r -> r.secretId(secretId)).secretString());
    }
}
