package com.supportress.incident;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.ApiGateway;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.SentMail;
import com.supportress.emulator.TenantUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: the triage routes as API Gateway serves them (template.yaml's JWT authorizer, emulated), with real
 * ID tokens from the emulator's Cognito user pool: a security-team member works, anyone else is refused.
 */
class IncidentTriageApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmulatedStack stack;
    private ApiGateway gateway;
    private TenantUsers users;
    private IncidentIntakeHandler intake;
    private IncidentTriageHandler triage;
    private String teamToken;

    @BeforeEach
    void standUpStack() {
        stack = EmulatedStack.create(Map.of("SenderEmail", "no-reply-" + UUID.randomUUID().toString().substring(0, 8) + "@supportress.example"));
        gateway = ApiGateway.of(stack);
        users = new TenantUsers(stack);
        intake = new IncidentIntakeHandler(stack.start("IncidentIntakeFunction"));
        triage = new IncidentTriageHandler(stack.start("IncidentTriageFunction"));
        teamToken = users.idTokenInGroup(stack.parameter("SecurityTeamGroup"));
    }

    @AfterEach
    void close() {
        intake.close();
        triage.close();
    }

    @Test
    void securityTeamMemberTriagesAndRepliesWithARealToken() throws Exception {
        String id = file();

        JsonNode list = JSON.readTree(call("GET", "/triage/reports", Map.of("status", "received"), "", teamToken).getBody());
        assertEquals(id, list.get("reports").get(0).get("id").asText());

        APIGatewayV2HTTPResponse moved = call("POST", "/triage/reports/" + id + "/status", Map.of(), "{\"status\":\"triaging\",\"from\":\"received\"}", teamToken);
        assertEquals(200, moved.getStatusCode(), moved.getBody());
        APIGatewayV2HTTPResponse replied = call("POST", "/triage/reports/" + id + "/replies", Map.of(), "{\"text\":\"Confirmed, fixing.\"}", teamToken);
        assertEquals(201, replied.getStatusCode(), replied.getBody());
        assertEquals(201, call("POST", "/triage/reports/" + id + "/notes", Map.of(), "{\"text\":\"internal\"}", teamToken).getStatusCode());

        JsonNode report = JSON.readTree(call("GET", "/triage/reports/" + id, Map.of(), "", teamToken).getBody());
        assertEquals("triaging", report.get("status").asText());
        assertEquals(List.of("accepted", "duplicate", "not-applicable"), JSON.convertValue(report.get("next"), List.class));
        JsonNode move = report.get("events").get(1);
        assertEquals("status-changed", move.get("type").asText());
        assertTrue(move.get("by").asText().startsWith("member-"), "who moved it comes from the token: " + move);
        assertEquals(1, SentMail.to(report.get("reporter").get("email").asText()).stream().filter(m -> m.body().contains("Confirmed, fixing.")).count());
    }

    @Test
    void tokensOfUsersOutsideTheTeamAreForbiddenAndMissingOrTamperedTokensUnauthorized() throws Exception {
        String id = file();
        String tenantToken = users.idToken("acme");
        String[] parts = teamToken.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];

        assertEquals(403, call("POST", "/triage/reports/" + id + "/status", Map.of(), "{\"status\":\"triaging\"}", tenantToken).getStatusCode());
        assertEquals(403, call("GET", "/triage/reports/" + id, Map.of(), "", tenantToken).getStatusCode());
        assertEquals(401, call("GET", "/triage/reports", Map.of("status", "received"), "", null).getStatusCode());
        assertEquals(401, call("POST", "/triage/reports/" + id + "/replies", Map.of(), "{\"text\":\"x\"}", tampered).getStatusCode());
        assertEquals("received", stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("IncidentReportsTable"))
                .key(Map.of("id", AttributeValue.fromS(id)))).item().get("status").s(), "nothing moved");
    }

    @Test
    void invalidMovesAndQueriesNameTheField() throws Exception {
        String id = file();
        assertEquals(400, call("POST", "/triage/reports/" + id + "/status", Map.of(), "{\"status\":\"closed\"}", teamToken).getStatusCode());
        assertEquals(409, call("POST", "/triage/reports/" + id + "/status", Map.of(), "{\"status\":\"resolved\"}", teamToken).getStatusCode());
        assertEquals(404, call("GET", "/triage/reports/inc_" + "z".repeat(32), Map.of(), "", teamToken).getStatusCode());
        APIGatewayV2HTTPResponse badQuery = call("GET", "/triage/reports", Map.of("status", "open", "limit", "1000"), "", teamToken);
        assertEquals(400, badQuery.getStatusCode());
        assertTrue(badQuery.getBody().contains("\"status\"") && badQuery.getBody().contains("\"limit\""), badQuery.getBody());
        // A window whose bounds are out of order is DynamoDB's ValidationException: the client's error, not a 500.
        APIGatewayV2HTTPResponse backwards = call("GET", "/triage/reports",
                Map.of("status", "received", "since", "2026-11-24T00:00:00Z", "until", "2026-11-23T00:00:00Z"), "", teamToken);
        assertEquals(400, backwards.getStatusCode(), backwards.getBody());
        assertTrue(backwards.getBody().contains("\"until\""), backwards.getBody());
    }

    private String file() throws Exception {
        APIGatewayV2HTTPResponse filed = intake.handleRequest(HttpEvents.sample("incident-intake/valid.json"), null);
        assertEquals(201, filed.getStatusCode(), filed.getBody());
        return JSON.readTree(filed.getBody()).get("id").asText();
    }

    private APIGatewayV2HTTPResponse call(String method, String path, Map<String, String> query, String body, String token) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        APIGatewayV2HTTPEvent event = HttpEvents.request(method, path, headers, body.getBytes(StandardCharsets.UTF_8), "198.51.100.40");
        event.setQueryStringParameters(query);
        return gateway.invoke(triage, event);
    }
}
