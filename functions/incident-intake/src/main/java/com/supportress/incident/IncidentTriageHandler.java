package com.supportress.incident;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.HttpFunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.JsonFields;
import com.supportress.shared.http.Routes;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Lambda entry point for the security team's triage API, behind API Gateway's JWT authorizer (the stack's user
 * pool) and, in here, the team's group claim ({@link TeamMember}):
 * GET /triage/reports (a status list), GET /triage/reports/{id} (one report, its thread, notes and audit trail),
 * POST /triage/reports/{id}/status ({@code {"status", "from"?}}), /replies and /notes ({@code {"text"}}).
 */
public class IncidentTriageHandler extends HttpFunctionHandler {

    private static final int STATUS_BODY_BYTES = 1024;

    public IncidentTriageHandler() {
    }

    public IncidentTriageHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected Routes routes(ApplicationContext context) {
        TriageService triage = context.getBean(TriageService.class);
        ResponseConfig config = context.getBean(ResponseConfig.class);
        JsonCodec json = context.getBean(JsonCodec.class);
        return new Routes()
                .on("GET", "/triage/reports", request -> {
                    TeamMember.of(request, config);
                    return ApiResponse.json(200, json.write(triage.list(TriageQuery.from(request.query()))));
                })
                .on("GET", "/triage/reports/{id}", request -> {
                    TeamMember.of(request, config);
                    return ApiResponse.json(200, json.write(triage.show(request.pathParameter("id"))));
                })
                .on("POST", "/triage/reports/{id}/status", request -> {
                    TeamMember member = TeamMember.of(request, config);
                    StatusChange change = StatusChange.from(json.readObjectBody(request, STATUS_BODY_BYTES));
                    return ApiResponse.json(200, json.write(triage.changeStatus(request.pathParameter("id"), change.to(), change.from(), member.name())));
                })
                .on("POST", "/triage/reports/{id}/replies", request -> {
                    TeamMember member = TeamMember.of(request, config);
                    String text = MessageText.from(json.readObjectBody(request, MessageText.MAX_BODY_BYTES));
                    return ApiResponse.json(201, json.write(triage.reply(request.pathParameter("id"), text, member.name())));
                })
                .on("POST", "/triage/reports/{id}/notes", request -> {
                    TeamMember member = TeamMember.of(request, config);
                    String text = MessageText.from(json.readObjectBody(request, MessageText.MAX_BODY_BYTES));
                    return ApiResponse.json(201, json.write(triage.note(request.pathParameter("id"), text, member.name())));
                });
    }

    /** The body of POST /triage/reports/{id}/status. */
    record StatusChange(ReportStatus to, Optional<ReportStatus> from) {
        static StatusChange from(JsonNode body) {
            JsonFields fields = new JsonFields(body);
            Optional<ReportStatus> to = status(fields, "status", Optional.ofNullable(fields.requiredString("status", 20)));
            Optional<ReportStatus> from = status(fields, "from", fields.optionalString("from", 20));
            fields.throwIfInvalid();
            return new StatusChange(to.orElseThrow(), from);
        }

        private static Optional<ReportStatus> status(JsonFields fields, String name, Optional<String> value) {
            Optional<ReportStatus> status = value.flatMap(ReportStatus::fromWire);
            if (value.isPresent() && status.isEmpty()) {
                fields.reject(name, "must be one of " + ReportStatus.wireNames());
            }
            return status;
        }
    }

    @Override
    protected void prime(ApplicationContext context) {
        // Routing and the 401 body of a request without verified claims (nothing is read or written), then the
        // DynamoDB client's first read.
        handle(new ApiRequest("GET", "/triage/reports", Map.of(), Map.of("status", "received"), Map.of(),
                "".getBytes(StandardCharsets.UTF_8), "127.0.0.1", "snapstart-priming", "localhost"));
        context.getBean(ResponseStore.class).find("inc_" + "a".repeat(32));
    }
}
