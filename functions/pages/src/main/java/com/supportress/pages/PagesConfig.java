package com.supportress.pages;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the pages need to know, from the names template.yaml sets on PagesFunction: the app client tenants sign
 * in with (none with another OIDC issuer), and where the page's scripts may connect: Cognito's public endpoint
 * and the upload bucket, or the emulator standing in for both ({@code AWS_ENDPOINT_URL}).
 */
public record PagesConfig(String region, String uploadBucket, Optional<String> cognitoClientId, Optional<URI> emulator) {

    public static PagesConfig from(FunctionEnvironment env) {
        return new PagesConfig(
                env.get("AWS_REGION", "us-east-1"),
                env.require("UPLOAD_BUCKET"),
                env.find("COGNITO_CLIENT_ID"),
                env.find("AWS_ENDPOINT_URL").map(URI::create));
    }

    /** Where the browser calls InitiateAuth: Cognito's public JSON endpoint of the stack's region. */
    public String cognitoEndpoint() {
        return emulator.map(uri -> origin(uri) + "/").orElse("https://cognito-idp." + region + ".amazonaws.com/");
    }

    /**
     * The origins the page's scripts may connect to besides its own: Cognito, and the upload bucket under both
     * hosts the SDK presigns for (us-east-1 URLs name {@code s3.amazonaws.com}, other regions {@code s3.<region>.amazonaws.com}).
     */
    public List<String> connectSources() {
        if (emulator.isPresent()) {
            return List.of(origin(emulator.get()));
        }
        List<String> sources = new ArrayList<>();
        sources.add("https://cognito-idp." + region + ".amazonaws.com");
        sources.add("https://" + uploadBucket + ".s3.amazonaws.com");
        sources.add("https://" + uploadBucket + ".s3." + region + ".amazonaws.com");
        return sources;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    @Factory
    static class Beans {
        @Singleton
        PagesConfig pagesConfig(FunctionEnvironment environment) {
            return PagesConfig.from(environment);
        }
    }
}
