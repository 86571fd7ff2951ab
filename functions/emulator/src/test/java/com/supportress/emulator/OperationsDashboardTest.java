package com.supportress.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier, no emulator: what template.yaml gives operators to watch the stack. The dashboard shows every alarm of the
 * stack and the business metrics in exactly the namespaces the functions write (one source of names), its body is
 * valid JSON, and the HTTP API writes JSON access logs to a retained log group.
 */
class OperationsDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OUR_NAMESPACE = Pattern.compile("Supportress/\\$\\{AWS::StackName}/[A-Za-z]+");

    private final SamTemplate template = SamTemplate.load();

    @Test
    void everyAlarmOfTheStackIsOnTheDashboard() throws Exception {
        Set<String> alarms = new TreeSet<>(template.resourcesOfType("AWS::CloudWatch::Alarm").keySet());
        Set<String> shown = new TreeSet<>();
        for (JsonNode widget : body().get("widgets")) {
            if ("alarm".equals(widget.path("type").asText())) {
                widget.path("properties").path("alarms").forEach(arn -> {
                    Matcher reference = Pattern.compile("^\\$\\{(\\w+)\\.Arn}$").matcher(arn.asText());
                    assertTrue(reference.matches(), "alarm widgets name alarms as ${LogicalId.Arn}: " + arn);
                    shown.add(reference.group(1));
                });
            }
        }
        Set<String> missing = new TreeSet<>(alarms);
        missing.removeAll(shown);
        assertEquals(Set.of(), missing, "alarms missing from OperationsDashboard's alarm widget");
        assertTrue(alarms.containsAll(shown), "the dashboard names alarms the template does not have: " + shown);
        for (String alarm : shown) {
            assertFalse(template.resources().get(alarm).containsKey("Condition"),
                    alarm + " is conditional: the dashboard's !Sub would fail where it is not created");
        }
    }

    @Test
    void dashboardShowsExactlyTheNamespacesTheFunctionsWriteTheirMetricsTo() throws Exception {
        Set<String> written = new TreeSet<>();
        for (String function : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Object namespace = SamTemplate.mapAt(SamTemplate.mapAt(template.functionProperties(function), "Environment"), "Variables")
                    .get("METRICS_NAMESPACE");
            if (namespace != null) {
                assertTrue(namespace instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String,
                        function + ": METRICS_NAMESPACE is a !Sub of the stack name");
                written.add((String) ((Map<?, ?>) namespace).get("Fn::Sub"));
            }
        }
        Set<String> shown = new TreeSet<>();
        Matcher matcher = OUR_NAMESPACE.matcher(rawBody());
        while (matcher.find()) {
            shown.add(matcher.group());
        }
        assertFalse(written.isEmpty());
        assertEquals(written, shown);
    }

    @Test
    void dashboardBodyIsValidJsonWithMetricAndAlarmWidgets() throws Exception {
        JsonNode body = body();
        List<String> types = new ArrayList<>();
        body.get("widgets").forEach(widget -> {
            types.add(widget.path("type").asText());
            assertTrue(widget.path("width").asInt() > 0 && widget.path("x").asInt() + widget.path("width").asInt() <= 24, widget.toString());
        });
        assertTrue(types.contains("alarm") && types.contains("metric"), types.toString());
        Map<String, Object> outputs = SamTemplate.mapAt(template.root(), "Outputs");
        assertTrue(String.valueOf(outputs.get("OperationsDashboardUrl")).contains("${OperationsDashboard}"), "the stack outputs the dashboard's URL");
    }

    @Test
    void httpApiWritesJsonAccessLogsAnOperatorCanSearchToARetainedLogGroup() throws Exception {
        Map<String, Object> settings = SamTemplate.mapAt(template.properties("HttpApi"), "AccessLogSettings");
        JsonNode format = JSON.readTree((String) settings.get("Format"));
        for (String field : List.of("requestId", "integrationRequestId", "sourceIp", "userAgent", "httpMethod", "path", "routeKey",
                "status", "responseLatency", "integrationLatency", "integrationError", "errorMessage", "authorizerError")) {
            assertTrue(format.path(field).asText().startsWith("$context."), "access log lacks " + field);
        }
        assertEquals(Map.of("Fn::GetAtt", List.of("HttpApiAccessLogGroup", "Arn")), settings.get("DestinationArn"));
        Map<String, Object> logGroup = template.resources().get("HttpApiAccessLogGroup");
        assertEquals("Retain", logGroup.get("DeletionPolicy"));
        assertEquals("Retain", logGroup.get("UpdateReplacePolicy"));
        assertEquals(Map.of("Ref", "LogRetentionDays"), SamTemplate.mapAt(logGroup, "Properties").get("RetentionInDays"));
    }

    private String rawBody() {
        Object body = template.properties("OperationsDashboard").get("DashboardBody");
        assertTrue(body instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String, "DashboardBody is one !Sub string");
        return (String) ((Map<?, ?>) body).get("Fn::Sub");
    }

    /** The body as JSON: every substitution sits inside a JSON string, so the text parses before CloudFormation fills it in. */
    private JsonNode body() throws Exception {
        return JSON.readTree(rawBody());
    }
}
