package com.supportress.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.supportress.shared.aws.AwsCallLimits;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.config.SnapStartPriming;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The adapter every HTTP function shares: API Gateway event in, routed to the function's service,
 * client errors ({@link ClientError}) turned into their 4xx, server errors ({@link ServerError}) into a 503 with
 * Retry-After (configuration missing, a dependency slow or unavailable) or a 500, every error as an RFC 9457 problem
 * detail ({@link ProblemDetails}), and every answer given the same security headers ({@link SecurityHeaders}). Its AWS
 * clients get the request path's call limits, so an answer comes before API Gateway's 29 s. Lambda calls the
 * no-argument constructor; tests and the local suite pass their own context.
 */
public abstract class HttpFunctionHandler extends FunctionHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFunctionHandler.class);

    private final Routes routes;
    private final JsonCodec json;
    private final SnapStartPriming priming;

    protected HttpFunctionHandler() {
        limitAwsCalls(AwsCallLimits.REQUEST_PATH);
        this.routes = routes(getApplicationContext());
        this.json = getApplicationContext().getBean(JsonCodec.class);
        this.priming = SnapStartPriming.register(() -> prime(getApplicationContext()));
    }

    protected HttpFunctionHandler(ApplicationContext context) {
        super(context);
        limitAwsCalls(AwsCallLimits.REQUEST_PATH);
        this.routes = routes(context);
        this.json = context.getBean(JsonCodec.class);
        this.priming = SnapStartPriming.register(() -> prime(context));
    }

    /**
     * Exercises the hot path before the SnapStart snapshot: requests that change nothing (a read, a
     * rejected body) and the function's AWS clients. Must not write anything.
     */
    protected abstract void prime(ApplicationContext context);

    public SnapStartPriming priming() {
        return priming;
    }

    /** The routes of this function, built once at start from its beans; called from the constructor. */
    protected abstract Routes routes(ApplicationContext context);

    @Override
    public APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        return handle(ApiRequest.from(event)).toEvent();
    }

    /** The function's answer to one request, with the security headers every answer carries. */
    public ApiResponse handle(ApiRequest request) {
        return SecurityHeaders.apply(request, dispatch(request));
    }

    private ApiResponse dispatch(ApiRequest request) {
        try (LogContext ignored = LogContext.forRequest(request.requestId())) {
            try {
                return routes.dispatch(request);
            } catch (ClientErrorException e) {
                ClientError error = e.error();
                LOG.info("client error {} {}: {}", error.status(), request.path(), error.message());
                return errorResponse(ProblemDetails.of(error, request.requestId()), error.headers());
            } catch (RuntimeException e) {
                ServerError error = ServerError.of(e);
                if (error instanceof ServerError.Internal) {
                    LOG.error("request failed {} {}", request.method(), request.path(), e);
                } else {
                    LOG.warn("unavailable {} {}: {} ({})", request.method(), request.path(), error.message(), e.toString());
                }
                return errorResponse(ProblemDetails.of(error, request.requestId()), error.headers());
            }
        }
    }

    private ApiResponse errorResponse(ProblemDetails problem, Map<String, String> headers) {
        ApiResponse response = ApiResponse.problem(problem, json.write(problem));
        for (var header : headers.entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }
}
