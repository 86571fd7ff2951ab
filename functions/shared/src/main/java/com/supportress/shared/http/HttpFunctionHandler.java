package com.supportress.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.config.SnapStartPriming;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter every HTTP function shares: API Gateway event in, routed to the function's service,
 * client errors turned into their 4xx JSON body, missing configuration into a 503 with Retry-After,
 * anything else logged and answered with a 500, and every answer given the same security headers
 * ({@link SecurityHeaders}).
 * Lambda calls the no-argument constructor; tests and the local suite pass their own context.
 */
public abstract class HttpFunctionHandler extends FunctionHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFunctionHandler.class);

    private final Routes routes;
    private final JsonCodec json;
    private final SnapStartPriming priming;

    protected HttpFunctionHandler() {
        this.routes = routes(getApplicationContext());
        this.json = getApplicationContext().getBean(JsonCodec.class);
        this.priming = SnapStartPriming.register(() -> prime(getApplicationContext()));
    }

    protected HttpFunctionHandler(ApplicationContext context) {
        super(context);
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
                ApiResponse response = ApiResponse.json(error.status(), json.write(new ErrorBody(error.message(), error.fields(), null)));
                for (var header : error.headers().entrySet()) {
                    response = response.withHeader(header.getKey(), header.getValue());
                }
                return response;
            } catch (ServiceUnavailableException e) {
                LOG.warn("unavailable {} {}: {}", request.method(), request.path(), e.getMessage());
                return ApiResponse.json(503, json.write(new ErrorBody(e.getMessage(), null, request.requestId())))
                        .withHeader("retry-after", Long.toString(e.retryAfter().toSeconds()));
            } catch (RuntimeException e) {
                LOG.error("request failed {} {}", request.method(), request.path(), e);
                return ApiResponse.json(500, json.write(new ErrorBody("internal error", null, request.requestId())));
            }
        }
    }
}
