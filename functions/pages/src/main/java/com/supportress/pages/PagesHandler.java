package com.supportress.pages;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.HttpFunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.Routes;
import io.micronaut.context.ApplicationContext;

import java.util.Map;

/**
 * Lambda entry point for the browser pages: GET / (the upload page), GET /report (the security report form and
 * follow-up view), GET /assets/{file} (their scripts and styles)
 * and GET /config.json (how to sign in). Every page goes out under a Content-Security-Policy that allows scripts
 * and styles from this origin only (no inline code, no eval) and connections only to Cognito and the upload bucket;
 * nosniff and HSTS come from the HTTP adapter, as on every API response.
 */
public class PagesHandler extends HttpFunctionHandler {

    public PagesHandler() {
    }

    public PagesHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void prime(ApplicationContext context) {
        handle(new ApiRequest("GET", "/", Map.of(), Map.of(), Map.of(), new byte[0], "127.0.0.1", "snapstart-priming", "localhost"));
        handle(new ApiRequest("GET", "/config.json", Map.of(), Map.of(), Map.of(), new byte[0], "127.0.0.1", "snapstart-priming", "localhost"));
    }

    @Override
    protected Routes routes(ApplicationContext context) {
        PagesConfig config = context.getBean(PagesConfig.class);
        JsonCodec json = context.getBean(JsonCodec.class);
        Pages pages = Pages.load();
        String policy = ContentSecurityPolicy.forPages(config.connectSources());
        return new Routes()
                .on("GET", "/", request -> pages.document("index.html", policy))
                // The security report form and the reporter's follow-up view (no sign-in: the receipt authorizes).
                .on("GET", "/report", request -> pages.document("report.html", policy))
                .on("GET", "/assets/{file}", request -> pages.asset(request.pathParameter("file"))
                        .orElseThrow(() -> new ClientErrorException(new ClientError.NotFound("no asset " + request.pathParameter("file")))))
                .on("GET", "/config.json", request -> ApiResponse.json(200, json.write(SignInSettings.of(config))));
    }
}
