package com.supportress.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.supportress.emulator.HandlerTypes;
import com.supportress.emulator.ParameterOverrides;
import com.supportress.incident.IncidentIntakeHandler;
import com.supportress.incident.IncidentNotificationRetryHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unit tier: the local suite's parsing of its inputs, no emulator. */
class LocalSuiteTest {

    @Test
    void parameterOverridesReadSamsFormat() {
        assertEquals(Map.of("SecurityTeamEmail", "me@example.org", "Stage", "dev"),
                ParameterOverrides.parse(" SecurityTeamEmail=me@example.org  Stage=dev "));
        assertEquals(Map.of(), ParameterOverrides.parse(""));
    }

    @Test
    void theSuitesOwnOriginIsAddedToTheAllowedOrigins() {
        assertEquals("https://app.supportress.example,http://127.0.0.1:3000,http://localhost:3000",
                LocalSuite.withLocalOrigin(Map.of(), 3000).get("AllowedOrigins"));
        assertEquals("https://a.example,http://127.0.0.1:8080,http://localhost:8080",
                LocalSuite.withLocalOrigin(Map.of("AllowedOrigins", "https://a.example"), 8080).get("AllowedOrigins"));
    }

    @Test
    void samLocalContainersReachALoopbackEmulatorThroughTheDockerHost() {
        assertEquals(URI.create("http://host.docker.internal:5123"), SamLocalEnvVars.fromContainer(URI.create("http://127.0.0.1:5123")));
        assertEquals(URI.create("http://host.docker.internal:4566"), SamLocalEnvVars.fromContainer(URI.create("http://localhost:4566")));
        assertEquals(URI.create("http://emulator.internal:4566"), SamLocalEnvVars.fromContainer(URI.create("http://emulator.internal:4566")));
    }

    @Test
    void queryStringsAreDecodedAndRepeatsJoined() {
        assertEquals(Map.of("a", "1,2", "b c", "d/e", "flag", ""), QueryStrings.parse("a=1&b+c=d%2Fe&a=2&flag"));
    }

    @Test
    void handlerInputTypeComesFromItsRequestHandlerTypeArgument() {
        assertEquals(APIGatewayV2HTTPEvent.class, HandlerTypes.inputType(IncidentIntakeHandler.class));
        assertEquals(ScheduleEvent.class, HandlerTypes.inputType(IncidentNotificationRetryHandler.class));
    }
}
