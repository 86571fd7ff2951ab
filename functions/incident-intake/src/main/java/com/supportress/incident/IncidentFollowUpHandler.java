package com.supportress.incident;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.HttpFunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.Routes;
import com.supportress.upload.api.UploadApiConfig;
import com.supportress.upload.api.UploadRequest;
import io.micronaut.context.ApplicationContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Lambda entry point for the reporter's follow-up, authorized by the follow-up token of the 201 (as
 * {@code Authorization: Bearer fut_...}), never by an account: GET /incidents/{id} (status, thread, attachments),
 * POST /incidents/{id}/messages and POST /incidents/{id}/attachments ({@link Attachments}). The HTTP adapter marks every answer no-store: no cache keeps the thread.
 */
public class IncidentFollowUpHandler extends HttpFunctionHandler {

    private static final int ATTACHMENT_BODY_BYTES = 4 * 1024;

    public IncidentFollowUpHandler() {
    }

    public IncidentFollowUpHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected Routes routes(ApplicationContext context) {
        FollowUpService followUp = context.getBean(FollowUpService.class);
        Attachments attachments = context.getBean(Attachments.class);
        UploadApiConfig uploadConfig = context.getBean(UploadApiConfig.class);
        JsonCodec json = context.getBean(JsonCodec.class);
        return new Routes()
                .on("GET", "/incidents/{id}", request -> {
                    ReportCase report = followUp.authorize(request.pathParameter("id"), bearer(request));
                    return ApiResponse.json(200, json.write(followUp.view(report, request.sourceIp())));
                })
                .on("POST", "/incidents/{id}/messages", request -> {
                    ReportCase report = followUp.authorize(request.pathParameter("id"), bearer(request));
                    String text = MessageText.from(json.readObjectBody(request, MessageText.MAX_BODY_BYTES));
                    return ApiResponse.json(201, json.write(followUp.addMessage(report, text, request.sourceIp())));
                })
                .on("POST", "/incidents/{id}/attachments", request -> {
                    ReportCase report = followUp.authorize(request.pathParameter("id"), bearer(request));
                    UploadRequest upload = UploadRequest.from(json.readObjectBody(request, ATTACHMENT_BODY_BYTES), uploadConfig);
                    Instant now = Instant.now();
                    return ApiResponse.json(201, json.write(attachments.create(report, upload,
                            followUp.rateSlot(request.sourceIp(), now), followUp.rateLimited(now))));
                });
    }

    /** The token of {@code Authorization: Bearer <token>}, if the header has that form. */
    static Optional<String> bearer(ApiRequest request) {
        return request.header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim());
    }

    @Override
    protected void prime(ApplicationContext context) {
        // Routing and the error body (a path no route has), then the DynamoDB client's first read and the token check,
        // without the rate slot a real request takes: priming writes nothing.
        handle(new ApiRequest("GET", "/incidents/snapstart-priming/none", Map.of(), Map.of(), Map.of(),
                "".getBytes(StandardCharsets.UTF_8), "127.0.0.1", "snapstart-priming", "localhost"));
        FollowUpTokens.matches(Optional.of(FollowUpTokens.newToken()),
                context.getBean(ResponseStore.class).find("inc_" + "a".repeat(32)).flatMap(ReportCase::followUpTokenHash));
    }
}
