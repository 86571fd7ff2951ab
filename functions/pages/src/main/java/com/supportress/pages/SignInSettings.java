package com.supportress.pages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * GET /config.json: how the page signs tenants in. {@code cognito} is null when the stack trusts another OIDC
 * issuer (JwtIssuer); the page then takes a token from that provider as it is.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SignInSettings(Cognito cognito) {

    /** Cognito's public endpoint and the page's app client: InitiateAuth needs nothing else (no secret, no signature). */
    @Serdeable
    public record Cognito(String endpoint, String clientId) {
    }

    static SignInSettings of(PagesConfig config) {
        return new SignInSettings(config.cognitoClientId().map(id -> new Cognito(config.cognitoEndpoint(), id)).orElse(null));
    }
}
